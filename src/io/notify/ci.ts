import type { Io } from "../../context.ts";

/**
 * What the CI around a run says: whether it builds a pull request (rota
 * notify must not send from one: its roster and schedule are proposals, and
 * a fork's build must not reach the team's channels), and where the
 * repository's files can be read on the web.
 */

/** The CI and the variable that shows a pull-request build, or undefined. */
export function pullRequestContext(env: Io["env"]): string | undefined {
  const set = (name: string) => env[name] !== undefined && env[name] !== "";
  const event = env.GITHUB_EVENT_NAME ?? "";
  if (event.startsWith("pull_request")) return `GitHub Actions (GITHUB_EVENT_NAME=${event})`;
  if (env.CI_PIPELINE_SOURCE === "merge_request_event" || set("CI_MERGE_REQUEST_IID")) {
    return "GitLab CI (a merge request pipeline)";
  }
  if (set("BITBUCKET_PR_ID")) return "Bitbucket Pipelines (BITBUCKET_PR_ID)";
  if (env.BUILD_REASON === "PullRequest") return "Azure Pipelines (BUILD_REASON=PullRequest)";
  if (set("CIRCLE_PULL_REQUEST")) return "CircleCI (CIRCLE_PULL_REQUEST)";
  if (set("BUILDKITE_PULL_REQUEST") && env.BUILDKITE_PULL_REQUEST !== "false") {
    return "Buildkite (BUILDKITE_PULL_REQUEST)";
  }
  if (set("TRAVIS_PULL_REQUEST") && env.TRAVIS_PULL_REQUEST !== "false") {
    return "Travis CI (TRAVIS_PULL_REQUEST)";
  }
  if (set("CHANGE_ID")) return "Jenkins (CHANGE_ID)";
  if (set("DRONE_PULL_REQUEST")) return "Drone (DRONE_PULL_REQUEST)";
  return undefined;
}

/**
 * The web address of a file in the repository at the commit CI builds
 * (GitHub or GitLab), for links to notes when no site is published; the
 * path is relative to the repository's root.
 */
export function repositoryFileLink(env: Io["env"]): ((file: string) => string) | undefined {
  const encode = (file: string) => file.split("/").map(encodeURIComponent).join("/");
  if (env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_SHA) {
    const base = `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/blob/${env.GITHUB_SHA}`;
    return (file) => `${base}/${encode(file)}`;
  }
  if (env.CI_PROJECT_URL && env.CI_COMMIT_SHA) {
    const base = `${env.CI_PROJECT_URL}/-/blob/${env.CI_COMMIT_SHA}`;
    return (file) => `${base}/${encode(file)}`;
  }
  return undefined;
}
