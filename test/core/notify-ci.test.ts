import { describe, expect, test } from "vitest";
import { pullRequestContext, repositoryFileLink } from "../../src/io/notify/ci.ts";

describe("the CI around a run", () => {
  test("a pull-request build is recognised on each CI; a push or a schedule is not", () => {
    expect(pullRequestContext({ GITHUB_EVENT_NAME: "pull_request" })).toMatch(/^GitHub Actions/);
    expect(pullRequestContext({ GITHUB_EVENT_NAME: "pull_request_target" })).toMatch(/^GitHub/);
    expect(pullRequestContext({ CI_PIPELINE_SOURCE: "merge_request_event" })).toMatch(/^GitLab/);
    expect(pullRequestContext({ CI_MERGE_REQUEST_IID: "7" })).toMatch(/^GitLab/);
    expect(pullRequestContext({ BITBUCKET_PR_ID: "3" })).toMatch(/^Bitbucket/);
    expect(pullRequestContext({ BUILD_REASON: "PullRequest" })).toMatch(/^Azure/);
    expect(pullRequestContext({ BUILDKITE_PULL_REQUEST: "false" })).toBeUndefined();
    expect(pullRequestContext({ TRAVIS_PULL_REQUEST: "false" })).toBeUndefined();
    for (const event of ["push", "schedule", "workflow_dispatch"]) {
      expect(pullRequestContext({ GITHUB_EVENT_NAME: event })).toBeUndefined();
    }
    expect(pullRequestContext({ CI_PIPELINE_SOURCE: "schedule" })).toBeUndefined();
  });

  test("notes link to the commit CI builds, on GitHub or GitLab", () => {
    const github = repositoryFileLink({
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_REPOSITORY: "acme/support",
      GITHUB_SHA: "abc123",
    });
    expect(github?.("notes/2026/11/2026-11-23-emea-ada.md")).toBe(
      "https://github.com/acme/support/blob/abc123/notes/2026/11/2026-11-23-emea-ada.md",
    );
    const gitlab = repositoryFileLink({
      CI_PROJECT_URL: "https://gitlab.com/acme/support",
      CI_COMMIT_SHA: "def456",
    });
    expect(gitlab?.("team a/notes/x #1.md")).toBe(
      "https://gitlab.com/acme/support/-/blob/def456/team%20a/notes/x%20%231.md",
    );
    expect(repositoryFileLink({})).toBeUndefined();
  });
});
