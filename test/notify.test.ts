import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { ROOT, rota } from "./helpers/cli.ts";
import { UNSAFE } from "./helpers/controls.ts";
import { type FakeChat, type FakeSmtp, startFakeChat, startFakeSmtp } from "./helpers/endpoints.ts";
import { commitAll, git, initRepo, teamRepo } from "./helpers/git.ts";
import { runInProcess } from "./helpers/in-process.ts";
import { GUARD_IMPORT, installNetworkGuard, refused } from "./helpers/net-guard.ts";
import { readSchedule } from "./helpers/repo.ts";
import { suiteTempDir, tempDir } from "./helpers/tmp.ts";

/**
 * `rota notify`, against local stand-ins for the chat APIs and an SMTP
 * server: the exact payloads, once-only delivery over repeated and late cron
 * runs, retries, pull-request builds, secrets, and days when clocks change.
 * Nothing may reach another machine: the guard refuses it and the test fails.
 */

let chat: FakeChat;
let smtp: FakeSmtp;

beforeAll(async () => {
  installNetworkGuard();
  chat = await startFakeChat();
  smtp = await startFakeSmtp();
});

afterAll(async () => {
  await chat.close();
  await smtp.close();
});

afterEach(() => {
  expect(refused, "something tried to reach another machine").toEqual([]);
  chat.received.length = 0;
  smtp.mails.length = 0;
});

/** Replaces the roster's notify section (the example roster ends with it). */
function setChannels(dir: string, channels: string, commit = true): void {
  const file = path.join(dir, "roster.yaml");
  const text = readFileSync(file, "utf8");
  const at = text.indexOf("\nnotify:");
  writeFileSync(
    file,
    `${text.slice(0, at === -1 ? text.length : at)}\nnotify:\n  channels:\n${channels}`,
  );
  if (commit) commitAll(dir, "Channels");
}

/** The text of the nth request the stand-in received. */
function textOf(index: number): string {
  return (chat.received[index]?.body as { text?: string } | undefined)?.text ?? "";
}

/** What a run says it sent on a channel, `<commit> <person>` for each change told, sorted. */
function toldOn(stderr: string, channel: string): string[] {
  return [...stderr.matchAll(new RegExp(`^sent ${channel}: changes/(\\w+)/(\\w+) `, "gm"))]
    .map((m) => `${m[1]} ${m[2]}`)
    .sort();
}

let replanned: Promise<string> | undefined;

/**
 * The team's repository, replanned by this rota and committed, so that a
 * later change is only itself: replanned once per file, then copied.
 */
async function replannedTeam(): Promise<string> {
  replanned ??= (async () => {
    const dir = await teamRepo(suiteTempDir());
    const plan = await rota(["plan"], { cwd: dir, env: { ROTA_NOW: "2026-11-24T18:00:00+01:00" } });
    expect(plan.code, plan.stderr).toBe(0);
    commitAll(dir, "Replan");
    return dir;
  })();
  const dir = tempDir();
  cpSync(await replanned, dir, { recursive: true });
  return dir;
}

function notify(dir: string, args: string[], env: Record<string, string> = {}) {
  return runInProcess(["notify", ...args], {
    cwd: dir,
    env: { ROTA_NOTIFY_RETRY_MS: "5", ...env },
  });
}

/** Ada's notes on the Americas shift of Monday 23 November, not committed. */
async function adaNote(dir: string): Promise<void> {
  const note = await runInProcess(
    [
      "notes",
      ...["--as", "ada", "--shift", "2026-11-23/americas"],
      ...["--answer", "struggles=SSO loops", "--answer", "fix=SAML docs", "--no-commit"],
    ],
    { cwd: dir, env: { ROTA_NOW: "2026-11-23T23:30:00+01:00" } },
  );
  expect(note.code, note.stderr).toBe(0);
}

const SLACK = `    - { id: slack, type: slack, url_env: SLACK_URL }\n`;

describe("notify today", () => {
  test("is the roster zone's day: a shift far away is on the day it starts there, with its own date", async () => {
    const dir = initRepo();
    writeFileSync(
      path.join(dir, "roster.yaml"),
      [
        "version: 1",
        "team: Acme",
        "timezone: Europe/Berlin",
        "shifts:",
        '  - { id: apac, name: APAC day, days: [mon, tue, wed, thu, fri], start: "09:00", end: "17:00", timezone: Australia/Sydney, seats: [{ role: any }] }',
        '  - { id: emea, name: EMEA day, days: [mon, tue, wed, thu, fri], start: "09:00", end: "17:00", seats: [{ role: any }] }',
        "people:",
        "  - { id: ada, name: Ada Lovelace }",
        "  - { id: bob, name: Bob Stone }",
        "  - { id: cy, name: Cy Young }",
        "notify:",
        "  channels:",
        "    - { id: hook, type: webhook, url_env: HOOK_URL }",
        "",
      ].join("\n"),
    );
    const plan = await runInProcess(["plan"], {
      cwd: dir,
      env: { ROTA_NOW: "2026-11-22T12:00:00+01:00" },
    });
    expect(plan.code, plan.stderr).toBe(0);
    commitAll(dir, "Roster and plan");
    const entries = readSchedule(dir);
    const on = (id: string) => entries.find((entry) => entry.id === id)?.people ?? [];
    const run = await notify(dir, ["today", "--dry-run"], {
      ROTA_NOW: "2026-11-23T08:00:00+01:00",
    });
    expect(run.code, run.stderr).toBe(0);
    const names: Record<string, string> = { ada: "Ada Lovelace", bob: "Bob Stone", cy: "Cy Young" };
    // Monday in Berlin: Sydney's Tuesday starts at 23:00; its Monday ended at 07:00.
    expect(run.stdout).toContain(
      [
        "On support today, Mon 23 Nov 2026",
        `EMEA day, 09:00–17:00 Berlin time: ${names[on("2026-11-23/emea")[0] ?? ""]}`,
        `APAC day, Tue 24 Nov, 09:00–17:00 Sydney time: ${names[on("2026-11-24/apac")[0] ?? ""]}`,
        `- Handoff from Mon 23 Nov (${names[on("2026-11-23/apac")[0] ?? ""]}):`,
      ].join("\n"),
    );
    expect(run.stdout).not.toContain("APAC day, 09:00");
  });

  test("posts today's people once, however often it runs that day; the next day again", async () => {
    const dir = await teamRepo(tempDir());
    setChannels(dir, SLACK);
    // Ada's notes on the Americas shift before: the handoff quotes them, escaped.
    const note = await runInProcess(
      [
        "notes",
        "--as",
        "ada",
        "--shift",
        "2026-11-23/americas",
        "--answer",
        "struggles=SSO \\*loops\\* for <@U999> & co",
        "--answer",
        "fix=SAML docs",
        "--no-commit",
      ],
      { cwd: dir, env: { ROTA_NOW: "2026-11-23T23:30:00+01:00" } },
    );
    expect(note.code, note.stderr).toBe(0);
    const env = { SLACK_URL: chat.url("/slack/T000/B000/secret"), ROTA_NOW: "" };
    for (const now of [
      "2026-11-24T06:00:00+01:00",
      "2026-11-24T07:00:00+01:00",
      "2026-11-24T23:59:00+01:00",
    ]) {
      const run = await notify(dir, ["today"], { ...env, ROTA_NOW: now });
      expect(run.code, run.stderr).toBe(0);
    }
    expect(chat.received).toHaveLength(1);
    const zw = "\u200b";
    expect(chat.received[0]?.path).toBe("/slack/T000/B000/secret");
    expect(chat.received[0]?.body).toEqual({
      text: [
        "*On support today, Tue 24 Nov 2026*",
        "*EMEA day*, 09:00–17:00 Berlin time: Grace Hopper, Katherine Johnson",
        "• Handoff from Mon 23 Nov (Barbara Liskov, Susan Kare):",
        "      ◦ No notes yet from Barbara Liskov, Susan Kare",
        "*Americas day*, 09:00–17:00 New York time: Radia Perlman",
        "• Handoff from Mon 23 Nov (Ada Lovelace):",
        `      ◦ *Ada Lovelace*: customers struggled with “SSO ${zw}*loops${zw}* for &lt;@U999&gt; &amp; co”; fix: “SAML docs” <https://acme.github.io/support/notes/2026/11/2026-11-23-americas-ada.html|notes>`,
      ].join("\n"),
      unfurl_links: false,
      unfurl_media: false,
    });
    const state = JSON.parse(readFileSync(path.join(dir, ".rota/notify-state.json"), "utf8"));
    expect(state).toEqual({
      version: 1,
      sent: { "slack today/2026-11-24": "2026-11-24T23:00:00Z" },
    });
    const next = await notify(dir, ["today"], { ...env, ROTA_NOW: "2026-11-25T00:05:00+01:00" });
    expect(next.code, next.stderr).toBe(0);
    expect(chat.received).toHaveLength(2);
    expect(textOf(1)).toMatch(/^\*On support today, Wed 25 Nov 2026\*/);
  });

  test("the handoff quotes no note by someone nobody knows, and says the note is skipped", async () => {
    const dir = await teamRepo(tempDir());
    setChannels(dir, SLACK);
    await adaNote(dir);
    // A note by an id in no roster, schedule or commit (a typo, say), put there by hand.
    const stranger = "notes/2026/11/2026-11-23-americas-zed.md";
    writeFileSync(
      path.join(dir, stranger),
      "---\noccurrence: 2026-11-23/americas\ndate: 2026-11-23\nshift: americas\nperson: zed\nhandled: 3\n---\n" +
        "<!-- rota:entry 2026-11-23T17:00:00-05:00 -->\n<!-- rota:answer fix text -->Nothing works<!-- rota:end fix -->\n",
    );
    const run = await notify(dir, ["today", "--dry-run"], {
      SLACK_URL: chat.url("/slack/T000/B000/secret"),
      ROTA_NOW: "2026-11-24T06:00:00+01:00",
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("fix: “SAML docs”");
    expect(run.stdout).not.toContain("Nothing works");
    expect(run.stdout).not.toContain("zed");
    expect(run.stderr).toMatch(/2026-11-23-americas-zed\.md:5:1: warning: .*the note is skipped/);
  });

  test("control characters in a note written by hand reach no channel raw, email and webhook included", async () => {
    const dir = await teamRepo(tempDir());
    setChannels(
      dir,
      [
        SLACK.trimEnd(),
        "    - { id: hook, type: webhook, url_env: HOOK_URL }",
        "    - { id: mail, type: email, url_env: SMTP_URL, from: support@example.com, to: [support@example.com] }",
        "",
      ].join("\n"),
    );
    await adaNote(dir);
    const file = path.join(dir, "notes/2026/11/2026-11-23-americas-ada.md");
    const hostile = "SSO \u202e gnissim \u001b[2J\u001b[31mALERT\u001b[0m\u0085 loops";
    writeFileSync(file, readFileSync(file, "utf8").replace("SSO loops", hostile));
    const run = await notify(dir, ["today"], {
      SLACK_URL: chat.url("/slack"),
      HOOK_URL: chat.url("/hook"),
      SMTP_URL: smtp.url,
      ROTA_NOW: "2026-11-24T07:00:00+01:00",
    });
    expect(run.code, run.stderr).toBe(0);
    const mail = smtp.mails[0]?.parsed;
    const received = [
      ...chat.received.map((r) => (r.body as { text: string }).text),
      mail?.text ?? "",
      typeof mail?.html === "string" ? mail.html : "",
    ];
    expect(received).toHaveLength(4);
    for (const text of received) {
      expect(text).not.toMatch(UNSAFE);
      expect(text).toContain("\\u202e gnissim \\u001b[2J\\u001b[31mALERT\\u001b[0m\\u0085");
    }
  });

  test("a day when the clocks change is one day: one message, the next day's at its midnight", async () => {
    const dir = initRepo(tempDir());
    writeFileSync(
      path.join(dir, "roster.yaml"),
      [
        "version: 1",
        "team: Dst",
        "timezone: Europe/Berlin",
        "horizon_weeks: 2",
        "shifts:",
        "  - { id: day, days: [mon, tue, wed, thu, fri, sat, sun], start: '09:00', end: '17:00', seats: [{ role: any }] }",
        "people:",
        "  - { id: ann, name: Ann }",
        "  - { id: bob, name: Bob }",
        "notify:",
        "  channels:",
        "    - { id: hook, type: webhook, url_env: HOOK_URL }",
        "",
      ].join("\n"),
    );
    const plan = await rota(["plan"], { cwd: dir, env: { ROTA_NOW: "2027-03-22T00:00:00+01:00" } });
    expect(plan.code, plan.stderr).toBe(0);
    commitAll(dir, "Plan");
    const env = { HOOK_URL: chat.url("/hook") };
    // Sunday 28 March 2027 has 23 hours in Berlin: 00:00 CET is 23:00Z, midnight after is 22:00Z.
    for (const now of ["2027-03-27T23:00:00Z", "2027-03-28T12:00:00Z", "2027-03-28T21:59:00Z"]) {
      const run = await notify(dir, ["today"], { ...env, ROTA_NOW: now });
      expect(run.code, run.stderr).toBe(0);
    }
    expect(
      chat.received.map((r) => (r.body as { occurrences: { id: string }[] }).occurrences[0]?.id),
    ).toEqual(["2027-03-28/day"]);
    const monday = await notify(dir, ["today"], { ...env, ROTA_NOW: "2027-03-28T22:00:00Z" });
    expect(monday.code, monday.stderr).toBe(0);
    const bodies = chat.received.map(
      (r) => r.body as { occurrences: { id: string; start: string }[] },
    );
    expect(bodies.map((b) => b.occurrences[0]?.id)).toEqual(["2027-03-28/day", "2027-03-29/day"]);
    expect(bodies[1]?.occurrences[0]?.start).toBe("2027-03-29T09:00:00+02:00");
    expect(textOf(1)).toContain("day, 09:00–17:00 Berlin time:");
    // With --at 08:00 on the day the clocks go forward: 08:00 is 06:00Z (summer time), not 07:00Z.
    const dry = async (now: string) => {
      const run = await notify(
        dir,
        ["today", "--at", "08:00", "--dry-run", "--json", "--state", "x.json"],
        {
          ...env,
          ROTA_NOW: now,
        },
      );
      expect(run.code, run.stderr).toBe(0);
      return JSON.parse(run.stdout) as unknown[];
    };
    expect(await dry("2027-03-28T05:59:00Z")).toEqual([]);
    expect(await dry("2027-03-28T06:00:00Z")).toHaveLength(1);
  });
  test("--at holds the day's message until that time on the roster's clock, across a clock change", async () => {
    const dir = await teamRepo(tempDir());
    setChannels(dir, SLACK);
    const env = { SLACK_URL: chat.url("/slack/T000/B000/secret") };
    // Hourly, as the CI template runs it: nothing before 08:00 Berlin, then once.
    for (const [now, sent] of [
      ["2026-11-24T00:07:00+01:00", 0],
      ["2026-11-24T07:07:00+01:00", 0],
      ["2026-11-24T08:07:00+01:00", 1],
      ["2026-11-24T09:07:00+01:00", 1],
    ] as const) {
      const run = await notify(dir, ["today", "--at", "08:00"], { ...env, ROTA_NOW: now });
      expect(run.code, run.stderr).toBe(0);
      expect(chat.received, now).toHaveLength(sent);
    }
    expect(textOf(0)).toMatch(/^\*On support today, Tue 24 Nov 2026\*/);
    for (const [args, message] of [
      [["today", "--at", "8am"], /--at: "8am" is not a time of day; use HH:MM/],
      [["remind", "--at", "08:00"], /--at is for notify today, not remind/],
    ] as const) {
      const bad = await notify(dir, [...args], env);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(message);
    }
  });
});

describe("notify changes", () => {
  test("a merged swap tells exactly the two people it moves, once", async () => {
    const dir = await replannedTeam();
    setChannels(dir, "    - { id: hook, type: webhook, url_env: HOOK_URL }\n");
    const now = "2026-11-24T18:00:00+01:00";
    const entry = readSchedule(dir).find((e) => e.id === "2026-12-01/emea");
    expect(entry).toBeDefined();
    const out = entry?.people[1] as string;
    const swap = await rota(["swap", "2026-12-01/emea", out, "jony", "--reason", "dentist"], {
      cwd: dir,
      env: { ROTA_NOW: now },
    });
    expect(swap.code, swap.stderr).toBe(0);
    commitAll(dir, "Swap");
    const env = { HOOK_URL: chat.url("/hook/secret-token"), ROTA_NOW: now };
    const first = await notify(dir, ["changes"], env);
    expect(first.code, first.stderr).toBe(0);
    const again = await notify(dir, ["changes"], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/announced already\)\nsent 0 messages\n/);
    const bodies = chat.received.map(
      (r) => r.body as { event: string; people: string[]; text: string; occurrences: unknown[] },
    );
    expect(bodies.map((b) => [b.event, b.people]).sort()).toEqual(
      [
        ["changes", [out]],
        ["changes", ["jony"]],
      ].sort(),
    );
    const jony = bodies.find((b) => b.people[0] === "jony");
    expect(Object.keys(jony ?? {})).toEqual(["event", "text", "occurrences", "people"]);
    expect(jony?.text).toContain("- New: EMEA day, Tue 1 Dec, 09:00–17:00 Berlin time (swap: ");
    expect(jony?.text).toContain(", dentist)");
    expect(jony?.text).toContain("Your next shifts:");
    expect(jony?.occurrences).toEqual([
      { ...pick(readSchedule(dir).find((e) => e.id === "2026-12-01/emea")) },
    ]);
    const gone = bodies.find((b) => b.people[0] === out);
    expect(gone?.text).toContain("- No longer yours: EMEA day, Tue 1 Dec, 09:00–17:00 Berlin time");
  });

  test("a swap recorded days after the last plan tells only its two people", async () => {
    // Planned on Friday by this rota; the swap is recorded on Monday.
    const dir = initRepo(tempDir());
    copyFileSync(path.join(ROOT, "roster.example.yaml"), path.join(dir, "roster.yaml"));
    const plan = await rota(["plan"], { cwd: dir, env: { ROTA_NOW: "2026-11-20T10:00:00+01:00" } });
    expect(plan.code, plan.stderr).toBe(0);
    setChannels(dir, "    - { id: hook, type: webhook, url_env: HOOK_URL }\n");
    const now = "2026-11-23T10:00:00+01:00";
    const before = readSchedule(dir);
    const out = before.find((e) => e.id === "2026-12-03/emea")?.people[1] as string;
    const swap = await rota(["swap", "2026-12-03/emea", out, "hedy"], {
      cwd: dir,
      env: { ROTA_NOW: now },
    });
    expect(swap.code, swap.stderr).toBe(0);
    commitAll(dir, "Swap");
    // The days the plan had are the days it has: extending it is rota plan's.
    expect(readSchedule(dir).map((e) => e.id)).toEqual(before.map((e) => e.id));
    const check = await rota(["plan", "--check"], { cwd: dir, env: { ROTA_NOW: now } });
    expect(check.code, check.stdout).toBe(0);
    const run = await notify(dir, ["changes", "--dry-run", "--json"], { ROTA_NOW: now });
    expect(run.code, run.stderr).toBe(0);
    const told = (JSON.parse(run.stdout) as { to: string }[]).map((m) => m.to).sort();
    expect(told).toEqual([out, "hedy"].sort());
  });

  test("a change whose run never came is told by the next run, and nothing twice", async () => {
    const dir = await replannedTeam();
    setChannels(dir, "    - { id: hook, type: webhook, url_env: HOOK_URL }\n");
    const now = "2026-11-24T18:00:00+01:00";
    const env = { HOOK_URL: chat.url("/hook"), ROTA_NOW: now };
    const swapIn = async (occurrence: string, to: string) => {
      const out = readSchedule(dir).find((e) => e.id === occurrence)?.people[1] as string;
      const run = await rota(["swap", occurrence, out, to], { cwd: dir, env: { ROTA_NOW: now } });
      expect(run.code, run.stderr).toBe(0);
      commitAll(dir, `Swap ${occurrence}`);
      return out;
    };
    await swapIn("2026-12-01/emea", "jony");
    expect((await notify(dir, ["changes"], env)).code).toBe(0);
    expect(chat.received).toHaveLength(2);
    const announced = JSON.parse(readFileSync(path.join(dir, ".rota/notify-state.json"), "utf8"));
    expect(announced.through).toEqual({ changes: git(dir, "rev-parse", "HEAD").trim() });
    // Two more merges; the run after the first of them was cancelled.
    const second = await swapIn("2026-12-02/emea", "guido");
    const third = await swapIn("2026-12-03/emea", "ken");
    const run = await notify(dir, ["changes"], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/changes since \w{7} \(the last change announced/);
    const told = chat.received
      .slice(2)
      .map((r) => (r.body as { people: string[] }).people[0])
      .sort();
    expect(told).toEqual([second, third, "guido", "ken"].sort());
    const again = await notify(dir, ["changes"], env);
    expect(again.code, again.stderr).toBe(0);
    expect(chat.received).toHaveLength(6);
  });

  test("while one channel fails, the others get each later change once, and it gets all it missed", async () => {
    const dir = await replannedTeam();
    setChannels(
      dir,
      `    - { id: hook, type: webhook, url_env: HOOK_URL }\n${SLACK}`.replace(
        "url_env: SLACK_URL",
        "url_env: SLACK_URL, events: [changes]",
      ),
    );
    const now = "2026-11-24T18:00:00+01:00";
    const env = { HOOK_URL: chat.url("/hook"), ROTA_NOW: now };
    expect((await notify(dir, ["changes"], { ...env, SLACK_URL: chat.url("/slack") })).code).toBe(
      0,
    );
    chat.received.length = 0;
    const swaps: [string, string][] = [
      ["2026-12-01/emea", "jony"],
      ["2026-12-02/emea", "guido"],
      ["2026-12-03/emea", "ken"],
    ];
    // Slack's secret is missing from the job: every run fails there.
    for (const [occurrence, to] of swaps) {
      const out = readSchedule(dir).find((e) => e.id === occurrence)?.people[1] as string;
      const swap = await rota(["swap", occurrence, out, to], { cwd: dir, env: { ROTA_NOW: now } });
      expect(swap.code, swap.stderr).toBe(0);
      commitAll(dir, `Swap ${occurrence}`);
      const run = await notify(dir, ["changes"], env);
      expect(run.code).toBe(1);
    }
    const hook = chat.received.map((r) => r.body as { people: string[]; text: string });
    expect(hook).toHaveLength(6);
    const lines = hook.flatMap((b) =>
      b.text.split("\n").filter((line) => /^- (New|No longer yours):/.test(line)),
    );
    expect(new Set(lines).size).toBe(lines.length);
    // Slack back: it gets every change it missed, the webhook nothing again.
    chat.received.length = 0;
    const back = await notify(dir, ["changes"], { ...env, SLACK_URL: chat.url("/slack") });
    expect(back.code, back.stderr).toBe(0);
    expect(chat.received.map((r) => r.path)).toEqual(Array(6).fill("/slack"));
    const again = await notify(dir, ["changes"], { ...env, SLACK_URL: chat.url("/slack") });
    expect(again.code, again.stderr).toBe(0);
    expect(chat.received).toHaveLength(6);
  });

  test("a channel that fails on the first run ever gets what it missed from the next run, the other nothing twice", async () => {
    const dir = await replannedTeam();
    setChannels(
      dir,
      `    - { id: hook, type: webhook, url_env: HOOK_URL }\n${SLACK}`.replace(
        "url_env: SLACK_URL",
        "url_env: SLACK_URL, events: [changes]",
      ),
    );
    const now = "2026-11-24T18:00:00+01:00";
    const env = { HOOK_URL: chat.url("/hook"), ROTA_NOW: now };
    const swapIn = async (occurrence: string, to: string) => {
      const out = readSchedule(dir).find((e) => e.id === occurrence)?.people[1] as string;
      const run = await rota(["swap", occurrence, out, to], { cwd: dir, env: { ROTA_NOW: now } });
      expect(run.code, run.stderr).toBe(0);
      commitAll(dir, `Swap ${occurrence}`);
      return out;
    };
    const first = await swapIn("2026-12-01/emea", "jony");
    // The first run: Slack's secret is not set yet.
    const failed = await notify(dir, ["changes"], env);
    expect(failed.code, failed.stderr).toBe(1);
    expect(chat.received.map((r) => r.path)).toEqual(["/hook", "/hook"]);
    const second = await swapIn("2026-12-02/emea", "guido");
    chat.received.length = 0;
    const back = await notify(dir, ["changes"], { ...env, SLACK_URL: chat.url("/slack") });
    expect(back.code, back.stderr).toBe(0);
    // Each commit is told on its own, under its own key.
    const [one, two] = git(dir, "log", "-2", "--format=%h", "--abbrev=12")
      .trim()
      .split("\n")
      .reverse();
    expect(toldOn(back.stderr, "slack")).toEqual(
      [`${one} ${first}`, `${one} jony`, `${two} ${second}`, `${two} guido`].sort(),
    );
    expect(toldOn(back.stderr, "hook")).toEqual([`${two} ${second}`, `${two} guido`].sort());
    expect(chat.received).toHaveLength(6);
    const again = await notify(dir, ["changes"], { ...env, SLACK_URL: chat.url("/slack") });
    expect(again.code, again.stderr).toBe(0);
    expect(chat.received).toHaveLength(6);
  });

  test("a channel that fails on the first run, at the schedule's first commit, gets that commit's news later", async () => {
    const dir = await teamRepo(tempDir());
    setChannels(
      dir,
      `    - { id: hook, type: webhook, url_env: HOOK_URL }\n${SLACK}`.replace(
        "url_env: SLACK_URL",
        "url_env: SLACK_URL, events: [changes]",
      ),
    );
    const now = "2026-11-24T18:00:00+01:00";
    const env = { HOOK_URL: chat.url("/hook"), ROTA_NOW: now };
    const failed = await notify(dir, ["changes"], env);
    expect(failed.code, failed.stderr).toBe(1);
    // The first commit told everyone their shifts, on the webhook only.
    const everyone = toldOn(failed.stderr, "hook");
    expect(everyone.length).toBeGreaterThan(2);
    const out = readSchedule(dir).find((e) => e.id === "2026-12-01/emea")?.people[1] as string;
    const swap = await rota(["swap", "2026-12-01/emea", out, "jony"], {
      cwd: dir,
      env: { ROTA_NOW: now },
    });
    expect(swap.code, swap.stderr).toBe(0);
    commitAll(dir, "Swap");
    chat.received.length = 0;
    const back = await notify(dir, ["changes"], { ...env, SLACK_URL: chat.url("/slack") });
    expect(back.code, back.stderr).toBe(0);
    const swapped = toldOn(back.stderr, "hook");
    expect(swapped).toContain(`${git(dir, "log", "-1", "--format=%h", "--abbrev=12").trim()} jony`);
    expect(swapped.filter((told) => everyone.includes(told))).toEqual([]);
    expect(toldOn(back.stderr, "slack")).toEqual([...everyone, ...swapped].sort());
    const again = await notify(dir, ["changes"], { ...env, SLACK_URL: chat.url("/slack") });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain("sent 0 messages");
  });
});

const DIGEST = `What the front line said, Mon 23 Nov – Wed 25 Nov 2026
6 shifts served, 3 with notes (50%).
What customers struggled with:
- SSO (2 notes)
    - “SSO setup for Okta” (Grace Hopper) notes (https://acme.github.io/support/notes/2026/11/2026-11-24-emea-grace.html)
Fixes proposed:
- SAML setup (2 notes)
    - “SAML setup wizard” (Grace Hopper) notes (https://acme.github.io/support/notes/2026/11/2026-11-24-emea-grace.html)
3 fixes proposed in the window: 0 done, 0 won't be done, 3 open.
Open, proposed this period:
- “SAML setup docs” (Ada Lovelace, 2 days, 5abb518708) notes (https://acme.github.io/support/notes/2026/11/2026-11-23-americas-ada.html)
- “SAML setup wizard” (Grace Hopper, 1 day, 24cacbdd40) notes (https://acme.github.io/support/notes/2026/11/2026-11-24-emea-grace.html)
- “Currency on invoices” (Katherine Johnson, 1 day, 90e63fb5c0) notes (https://acme.github.io/support/notes/2026/11/2026-11-24-emea-katherine.html)
Notes missing:
- Barbara Liskov: 1 (EMEA day Mon 23 Nov)
- Radia Perlman: 1 (Americas day Tue 24 Nov)
- Susan Kare: 1 (EMEA day Mon 23 Nov)
The whole report (https://acme.github.io/support/report.html)`;

function pick(entry: ReturnType<typeof readSchedule>[number] | undefined) {
  if (!entry) throw new Error("no entry");
  const { id, date, shift, start, end, people } = entry;
  return { id, date, shift, start, end, people };
}

describe("notify remind", () => {
  test("--before 1d reaches tomorrow's people once, late runs included", async () => {
    const dir = await teamRepo(tempDir());
    setChannels(dir, "    - { id: hook, type: webhook, url_env: HOOK_URL }\n");
    const env = { HOOK_URL: chat.url("/hook") };
    const sentFor = (date: string) =>
      chat.received
        .map((r) => r.body as { occurrences: { id: string }[]; people: string[] })
        .filter((body) => body.occurrences[0]?.id.startsWith(date))
        .map((body) => [body.occurrences[0]?.id, body.people[0]]);
    const on = (date: string) =>
      readSchedule(dir)
        .filter((e) => e.date === date)
        .flatMap((e) => e.people.map((p) => [e.id, p]))
        .sort();
    // Wednesday 25 November's shifts start at 09:00 Berlin and 09:00 New York (15:00 Berlin).
    const run = (now: string) =>
      notify(dir, ["remind", "--before", "1d"], { ...env, ROTA_NOW: now });
    expect((await run("2026-11-24T08:30:00+01:00")).code).toBe(0);
    expect(sentFor("2026-11-25")).toEqual([]);
    // Today's shifts were never reminded: the first run sends theirs late, once.
    expect(sentFor("2026-11-24").sort()).toEqual(on("2026-11-24"));
    for (const now of [
      "2026-11-24T09:00:00+01:00", // EMEA is due
      "2026-11-24T09:00:00+01:00", // a run twice
      "2026-11-24T12:00:00+01:00",
      "2026-11-24T16:00:00+01:00", // Americas is due
      "2026-11-25T08:00:00+01:00", // a late run
    ]) {
      const result = await run(now);
      expect(result.code, result.stderr).toBe(0);
    }
    expect(sentFor("2026-11-25").sort()).toEqual(on("2026-11-25"));
    expect(sentFor("2026-11-24").sort()).toEqual(on("2026-11-24"));
  });

  test("a reminder mentions only its own person; who shares the shift is named, not pinged", async () => {
    const dir = await teamRepo(tempDir());
    const file = path.join(dir, "roster.yaml");
    writeFileSync(
      file,
      readFileSync(file, "utf8")
        .replace(
          "    name: Barbara Liskov\n",
          '    name: Barbara Liskov\n    slack: UBARBARA\n    discord: "80351110224678911"\n',
        )
        .replace(
          "    name: Ken Thompson\n",
          '    name: Ken Thompson\n    slack: UKEN\n    discord: "80351110224678922"\n',
        ),
    );
    setChannels(dir, `${SLACK}    - { id: discord, type: discord, url_env: DISCORD_URL }\n`);
    // Wednesday 25 November's EMEA day: Barbara and Ken.
    const run = await notify(dir, ["remind", "--before", "20h"], {
      ROTA_NOW: "2026-11-24T16:00:00+01:00",
      SLACK_URL: chat.url("/slack"),
      DISCORD_URL: chat.url("/discord"),
    });
    expect(run.code, run.stderr).toBe(0);
    const slack = chat.received
      .filter((r) => r.path === "/slack")
      .map((r) => r.body as { text: string });
    expect(slack.map((b) => b.text.split("\n").slice(1, 3))).toEqual([
      [
        "<@UBARBARA>, you are on support in 17 hours: *EMEA day*, Wed 25 Nov, 09:00–17:00 Berlin time.",
        "With Ken Thompson",
      ],
      [
        "<@UKEN>, you are on support in 17 hours: *EMEA day*, Wed 25 Nov, 09:00–17:00 Berlin time.",
        "With Barbara Liskov",
      ],
    ]);
    const discord = chat.received
      .filter((r) => r.path === "/discord")
      .map((r) => r.body as { content: string; allowed_mentions: { users: string[] } });
    expect(discord.map((b) => b.allowed_mentions.users)).toEqual([
      ["80351110224678911"],
      ["80351110224678922"],
    ]);
    expect(discord.map((b) => b.content.split("\n")[2])).toEqual([
      "With Ken Thompson",
      "With Barbara Liskov",
    ]);
  });

  test("days before a shift count on its wall clock across a clock change", async () => {
    const dir = initRepo(tempDir());
    writeFileSync(
      path.join(dir, "roster.yaml"),
      [
        "version: 1",
        "team: Dst",
        "timezone: Europe/Berlin",
        "horizon_weeks: 2",
        "shifts:",
        "  - { id: sun, days: [sun], start: '09:00', end: '17:00', seats: [{ role: any }] }",
        "people:",
        "  - { id: ann, name: Ann }",
        "notify:",
        "  channels:",
        "    - { id: hook, type: webhook, url_env: HOOK_URL }",
        "",
      ].join("\n"),
    );
    expect(
      (await rota(["plan"], { cwd: dir, env: { ROTA_NOW: "2027-03-22T00:00:00+01:00" } })).code,
    ).toBe(0);
    commitAll(dir, "Plan");
    const env = { HOOK_URL: chat.url("/hook") };
    // Sunday 28 March 2027, 09:00 CEST; a day before on the wall clock is Saturday 09:00 CET (08:00Z), not 07:00Z.
    const early = await notify(dir, ["remind"], { ...env, ROTA_NOW: "2027-03-27T07:30:00Z" });
    expect(early.code, early.stderr).toBe(0);
    expect(chat.received).toHaveLength(0);
    const due = await notify(dir, ["remind"], { ...env, ROTA_NOW: "2027-03-27T08:00:00Z" });
    expect(due.code, due.stderr).toBe(0);
    expect(chat.received).toHaveLength(1);
    // 24 hours on the wall clock, 23 elapsed: the clocks go forward in the night.
    expect(textOf(0)).toContain(
      "Ann, you are on support in 23 hours: sun, Sun 28 Mar, 09:00–17:00 Berlin time.",
    );
  });
});

describe("notify digest", () => {
  test("what the front line said: themes, fixes proposed and notes missing, from the report", async () => {
    const dir = await teamRepo(tempDir());
    setChannels(dir, "    - { id: hook, type: webhook, url_env: HOOK_URL }\n");
    const notes: [string, string, string, string][] = [
      ["ada", "2026-11-23/americas", "SSO login loops after the upgrade", "SAML setup docs"],
      ["grace", "2026-11-24/emea", "SSO setup for Okta", "SAML setup wizard"],
      ["katherine", "2026-11-24/emea", "Invoices in the wrong currency", "Currency on invoices"],
    ];
    for (const [who, shift, struggles, fix] of notes) {
      const note = await runInProcess(
        [
          "notes",
          "--as",
          who,
          "--shift",
          shift,
          "--answer",
          `struggles=${struggles}`,
          "--answer",
          `fix=${fix}`,
          "--no-commit",
        ],
        { cwd: dir, env: { ROTA_NOW: "2026-11-24T18:00:00+01:00" } },
      );
      expect(note.code, note.stderr).toBe(0);
    }
    const env = { HOOK_URL: chat.url("/hook"), ROTA_NOW: "2026-11-25T08:00:00+01:00" };
    const run = await notify(dir, ["digest", "--since", "2026-11-23"], env);
    expect(run.code, run.stderr).toBe(0);
    const again = await notify(dir, ["digest", "--since", "2026-11-23"], env);
    expect(again.code, again.stderr).toBe(0);
    expect(chat.received).toHaveLength(1);
    const body = chat.received[0]?.body as { event: string; text: string; people: string[] };
    expect(body.event).toBe("digest");
    expect(body.text).toBe(DIGEST);
    expect(body.people).toEqual(["barbara", "radia", "susan"]);
  });

  test("--since after today is a mistake in --since's words", async () => {
    const dir = await teamRepo(tempDir());
    setChannels(dir, "    - { id: hook, type: webhook, url_env: HOOK_URL }\n");
    const run = await notify(dir, ["digest", "--since", "2026-12-30", "--dry-run"], {
      ROTA_NOW: "2026-11-26T10:00:00+01:00",
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "rota: --since (2026-12-30) is after today (2026-11-26): the digest tells what the front line said up to today\n",
    );
  });
});

describe("delivery", () => {
  test("retries 429 and 5xx with backoff, reports a channel that keeps failing, and sends the others", async () => {
    const dir = await teamRepo(tempDir());
    setChannels(
      dir,
      [
        "    - { id: flaky, type: mattermost, url_env: FLAKY_URL }",
        "    - { id: down, type: discord, url_env: DOWN_URL }",
        "    - { id: fine, type: google-chat, url_env: FINE_URL }",
        "",
      ].join("\n"),
    );
    chat.script("/flaky", [503, { status: 429, headers: { "retry-after": "0" } }]);
    chat.script("/down/token", [500, 502, 503, 504]);
    const env = {
      FLAKY_URL: chat.url("/flaky"),
      DOWN_URL: chat.url("/down/token"),
      FINE_URL: chat.url("/fine"),
      ROTA_NOW: "2026-11-24T07:00:00+01:00",
    };
    const run = await notify(dir, ["today"], env);
    expect(run.code).toBe(1);
    expect(chat.received.filter((r) => r.path === "/flaky")).toHaveLength(3);
    expect(chat.received.filter((r) => r.path === "/down/token")).toHaveLength(4);
    expect(chat.received.filter((r) => r.path === "/fine")).toHaveLength(1);
    expect(run.stderr).toContain("sent flaky: today/2026-11-24");
    expect(run.stderr).toContain(
      "rota: not sent down: today/2026-11-24: HTTP 504: error (after 4 tries)",
    );
    expect(run.stderr).toContain("sent 2 messages, 1 failed");
    expect(`${run.stdout}${run.stderr}`).not.toContain("token");
    // The next run sends only what failed.
    chat.received.length = 0;
    const rerun = await notify(dir, ["today"], env);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(chat.received.map((r) => r.path)).toEqual(["/down/token"]);
    expect(rerun.stderr).toContain("sent 1 message, 2 sent before");
  });

  test("a message in pieces whose later piece failed goes on from that piece", async () => {
    const dir = initRepo(tempDir());
    writeFileSync(
      path.join(dir, "roster.yaml"),
      [
        "version: 1",
        "team: Daily",
        "timezone: Europe/Berlin",
        "horizon_weeks: 12",
        "shifts:",
        "  - { id: daily, days: [mon, tue, wed, thu, fri, sat, sun], start: '09:00', end: '17:00', seats: [{ role: any }] }",
        "people:",
        "  - { id: ann, name: Ann }",
        "  - { id: ben, name: Ben }",
        "notify:",
        "  channels:",
        "    - { id: discord, type: discord, url_env: DISCORD_URL }",
        "",
      ].join("\n"),
    );
    const now = "2026-11-20T08:00:00+01:00";
    expect((await rota(["plan"], { cwd: dir, env: { ROTA_NOW: now } })).code).toBe(0);
    commitAll(dir, "Plan");
    // Ann's first piece goes; her second is refused four times; Ben's go.
    chat.script("/discord", [200, 500, 500, 500, 500]);
    const env = { DISCORD_URL: chat.url("/discord"), ROTA_NOW: now };
    const first = await notify(dir, ["changes"], env);
    expect(first.code).toBe(1);
    const pieces = () => chat.received.map((r) => (r.body as { content: string }).content);
    const [annFirst, annSecond] = pieces();
    expect(annFirst).toMatch(/^\*\*Your support shifts changed\*\*\nAnn, /);
    expect(pieces().filter((p) => p === annSecond)).toHaveLength(4);
    chat.received.length = 0;
    const rerun = await notify(dir, ["changes"], env);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(pieces()).toEqual([annSecond]);
    const state = JSON.parse(readFileSync(path.join(dir, ".rota/notify-state.json"), "utf8"));
    expect(Object.keys(state.sent).filter((key) => key.includes("piece"))).toEqual([]);
  });

  test("an endpoint that redirects is reported as a redirect, not followed and not retried", async () => {
    const dir = await teamRepo(tempDir());
    setChannels(dir, SLACK);
    chat.script("/moved", [{ status: 302, headers: { location: chat.url("/elsewhere") } }]);
    const run = await notify(dir, ["today"], {
      SLACK_URL: chat.url("/moved"),
      ROTA_NOW: "2026-11-24T07:00:00+01:00",
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "rota: not sent slack: today/2026-11-24: HTTP 302 (a redirect, which rota does not follow: check the webhook URL): error\n",
    );
    expect(chat.received.map((r) => r.path)).toEqual(["/moved"]);
  });

  test("a user name and password in a webhook URL go as Basic authentication, never shown", async () => {
    const dir = await teamRepo(tempDir());
    setChannels(dir, "    - { id: hook, type: webhook, url_env: HOOK_URL }\n");
    const url = chat.url("/basic").replace("http://", "http://bot:p%40ss-sekrit@");
    const run = await notify(dir, ["today"], {
      HOOK_URL: url,
      ROTA_NOW: "2026-11-24T07:00:00+01:00",
    });
    expect(run.code, run.stderr).toBe(0);
    const got = chat.received.filter((r) => r.path === "/basic");
    expect(got).toHaveLength(1);
    expect(got[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from("bot:p@ss-sekrit").toString("base64")}`,
    );
    expect(run.stdout + run.stderr).not.toMatch(/sekrit/);
  });

  test("a login that is not valid percent-encoding goes as written, beside the other channels", async () => {
    const dir = await teamRepo(tempDir());
    setChannels(dir, `    - { id: hook, type: webhook, url_env: HOOK_URL }\n${SLACK}`);
    const run = await notify(dir, ["today"], {
      HOOK_URL: chat.url("/odd-login").replace("http://", "http://bot:p%ss@"),
      SLACK_URL: chat.url("/slack/T000/B000/secret"),
      ROTA_NOW: "2026-11-24T07:00:00+01:00",
    });
    expect(run.code, run.stderr).toBe(0);
    const got = chat.received.filter((r) => r.path === "/odd-login");
    expect(got[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from("bot:p%ss").toString("base64")}`,
    );
    expect(run.stderr).toContain("sent slack: today/2026-11-24");
  });

  test("a server that repeats the webhook URL, whole or in part, in its answer: the secret is masked", async () => {
    const dir = await teamRepo(tempDir());
    setChannels(dir, `    - { id: hook, type: webhook, url_env: HOOK_URL }\n${SLACK}`);
    const token = "XyZsEcReTtOkEn42";
    const hookPath = `/hooks/T0001/B0002/${token}?sig=SiGnAtUrE99`;
    chat.script(hookPath, [
      {
        status: 400,
        body: `Cannot POST /hooks/T0001/B0002/${token}?sig=SiGnAtUrE99 (bad request)`,
      },
    ]);
    const slackPath = `/slack/T000/B000/${token}`;
    const answer = `token ${token} refused for bot:pw-sekrit at ${chat.url(slackPath).slice(7)}`;
    chat.script(slackPath, Array(4).fill({ status: 500, body: answer }));
    const run = await notify(dir, ["today"], {
      HOOK_URL: chat.url(hookPath),
      SLACK_URL: chat.url(slackPath).replace("http://", "http://bot:pw-sekrit@"),
      ROTA_NOW: "2026-11-24T07:00:00+01:00",
    });
    expect(run.code).toBe(1);
    const said = run.stdout + run.stderr;
    for (const secret of [token, "T0001", "B0002", "SiGnAtUrE99", "sekrit"]) {
      expect(said).not.toContain(secret);
    }
    expect(said).toContain(
      "rota: not sent hook: today/2026-11-24: HTTP 400: Cannot POST *** (bad request)",
    );
    expect(said).toMatch(
      /not sent slack: today\/2026-11-24: HTTP 500: token \*\*\* refused for \*\*\*/,
    );
  });

  test("--dry-run --json prints exactly what would be sent and sends nothing", async () => {
    const dir = await teamRepo(tempDir());
    setChannels(
      dir,
      `${SLACK}    - { id: mail, type: email, url_env: SMTP_URL, from: support@example.com }\n`,
    );
    const run = await notify(dir, ["remind", "--before", "20h", "--dry-run", "--json"], {
      ROTA_NOW: "2026-11-24T16:00:00+01:00",
    });
    expect(run.code, run.stderr).toBe(0);
    const shown = JSON.parse(run.stdout) as {
      channel: string;
      event: string;
      to: string;
      text: string;
    }[];
    expect(shown.map((m) => Object.keys(m))).toEqual(
      shown.map(() => ["channel", "event", "to", "text"]),
    );
    expect(shown.map((m) => [m.channel, m.to])).toEqual([
      ["slack", "barbara"],
      ["slack", "ken"],
      ["mail", "barbara"],
      ["mail", "ken"],
    ]);
    expect(shown[0]?.text).toBe(
      [
        "*Reminder: your support shift, EMEA day*",
        "Barbara Liskov, you are on support in 17 hours: *EMEA day*, Wed 25 Nov, 09:00–17:00 Berlin time.",
        "With Ken Thompson",
        "Afterwards, write down what you saw: rota notes",
      ].join("\n"),
    );
    expect(chat.received).toHaveLength(0);
    expect(smtp.mails).toHaveLength(0);
    expect(existsSync(path.join(dir, ".rota"))).toBe(false);
  });

  test("never sends from a pull-request build (a dry run is fine there)", async () => {
    const dir = await teamRepo(tempDir());
    setChannels(dir, SLACK);
    const env = { SLACK_URL: chat.url("/slack"), ROTA_NOW: "2026-11-24T07:00:00+01:00" };
    for (const ci of <Record<string, string>[]>[
      { GITHUB_EVENT_NAME: "pull_request" },
      { GITHUB_EVENT_NAME: "pull_request_target" },
      { CI_PIPELINE_SOURCE: "merge_request_event" },
    ]) {
      const run = await notify(dir, ["today"], { ...env, ...ci });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^rota: refusing to send messages from a pull-request build/);
      const dry = await notify(dir, ["today", "--dry-run"], { ...env, ...ci });
      expect(dry.code, dry.stderr).toBe(0);
    }
    expect(chat.received).toHaveLength(0);
  });

  test("a missing or unsafe URL is named by its variable, never shown", async () => {
    const dir = await teamRepo(tempDir());
    setChannels(dir, SLACK);
    const now = { ROTA_NOW: "2026-11-24T07:00:00+01:00" };
    const missing = await notify(dir, ["today"], now);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("the environment variable SLACK_URL is not set");
    const plain = await notify(dir, ["today"], {
      ...now,
      SLACK_URL: "http://hooks.example.com/services/T0/B0/sekrit",
    });
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain("SLACK_URL must hold an https:// URL");
    expect(plain.stderr).not.toContain("sekrit");
  });

  test("a URL with a control or bidi character is refused, named by its variable and the character escaped", async () => {
    const dir = await teamRepo(tempDir());
    setChannels(
      dir,
      `${SLACK}    - { id: mail, type: email, url_env: SMTP_URL, from: support@example.com }\n`,
    );
    const run = await notify(dir, ["remind", "--before", "20h"], {
      ROTA_NOW: "2026-11-24T16:00:00+01:00",
      // Spaces around it are trimmed, as they are from any secret.
      SLACK_URL: ` ${chat.url("/slack")}/\u202esekrit\n`,
      SMTP_URL: smtp.url.replace("://", "://\u001b]0;sekrit\u0007@"),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "SLACK_URL contains U+202E (a bidi control, which makes text read differently than it is stored); write the web address as plain text, like https://hooks.example.com/services/…",
    );
    expect(run.stderr).toContain(
      "SMTP_URL contains U+001B (a control character); write the web address as plain text, like smtps://user:password@smtp.example.com:465",
    );
    expect(run.stderr).not.toMatch(UNSAFE);
    expect(run.stderr).not.toContain("sekrit");
    expect(chat.received).toHaveLength(0);
    expect(smtp.mails).toHaveLength(0);
  });

  test.skipIf(process.platform !== "linux")(
    "a lock that cannot be created says why, not that another run is sending",
    async () => {
      const dir = await teamRepo(tempDir());
      setChannels(dir, SLACK);
      // /proc takes no new files, whoever asks (root too).
      const run = await notify(dir, ["today", "--state", "/proc/rota-notify-state.json"], {
        SLACK_URL: chat.url("/slack"),
        ROTA_NOW: "2026-11-24T07:00:00+01:00",
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        "rota: cannot create /proc/rota-notify-state.json.lock, which keeps two runs from sending at once (ENOENT: no such file or directory); make its directory writable or pass --state with another file\n",
      );
      expect(chat.received).toHaveLength(0);
    },
  );

  test("something notify does not tell is refused with what it tells, and the closest (exit 2)", async () => {
    const dir = await teamRepo(tempDir());
    setChannels(dir, SLACK);
    const now = { ROTA_NOW: "2026-11-24T07:00:00+01:00", SLACK_URL: chat.url("/slack") };
    const typo = await rota(["notify", "tody"], { cwd: dir, env: now });
    expect(typo).toMatchObject({
      code: 2,
      stderr:
        'rota: notify: "tody" is not something rota tells (it tells today, changes, remind or digest); did you mean "today"?\n',
    });
    expect(chat.received).toHaveLength(0);
  });

  test("a --channel the roster has not is refused with the channel it most likely meant (exit 2)", async () => {
    const dir = await teamRepo(tempDir());
    setChannels(
      dir,
      [
        "    - { id: support-slack, type: slack, url_env: SLACK_URL }",
        "    - { id: mail, type: email, url_env: SMTP_URL, from: support@example.com }",
        "    - { id: ops-slack, type: slack, url_env: SLACK_URL }",
        "    - { id: pager, type: webhook, url_env: HOOK_URL }",
        "",
      ].join("\n"),
    );
    const now = { ROTA_NOW: "2026-11-24T07:00:00+01:00", SLACK_URL: chat.url("/slack") };
    const said = async (channel: string) => {
      const run = await rota(["notify", "today", "--channel", channel], { cwd: dir, env: now });
      expect(run.code, channel).toBe(2);
      return run.stderr;
    };
    // A typo of an id; the type of one channel, or nearly; of several; nothing close.
    expect(await said("mial")).toBe(
      'rota: --channel: no channel "mial" in the roster; did you mean "mail"?\n',
    );
    expect(await said("webhok")).toBe(
      'rota: --channel: no channel "webhok" in the roster; did you mean "pager", its webhook channel?\n',
    );
    expect(await said("email")).toBe(
      'rota: --channel: no channel "email" in the roster; did you mean "mail"?\n',
    );
    expect(await said("slak")).toBe(
      'rota: --channel: no channel "slak" in the roster; its slack channels are "support-slack" and "ops-slack"\n',
    );
    expect(await said("zzz")).toBe(
      'rota: --channel: no channel "zzz" in the roster; its channels are "support-slack" (slack), "mail" (email), "ops-slack" (slack) and "pager" (webhook)\n',
    );
    expect(chat.received).toHaveLength(0);
  });

  test("a --state that names a directory is refused before anything is sent (exit 2)", async () => {
    const dir = await teamRepo(tempDir());
    setChannels(dir, SLACK);
    const now = { ROTA_NOW: "2026-11-24T07:00:00+01:00", SLACK_URL: chat.url("/slack") };
    const slash = await rota(["notify", "today", "--state", "sent/"], { cwd: dir, env: now });
    expect(slash).toMatchObject({
      code: 2,
      stderr:
        "rota: --state sent/: it ends with a slash, so it names a directory; name a file in it, e.g. sent/notify-state.json\n",
    });
    expect(existsSync(path.join(dir, "sent"))).toBe(false);
    const dry = await rota(["notify", "today", "--dry-run", "--state", ".git"], {
      cwd: dir,
      env: now,
    });
    expect(dry).toMatchObject({
      code: 2,
      stderr:
        "rota: --state .git: it is a directory; name a file in it, e.g. .git/notify-state.json\n",
    });
    expect(chat.received).toHaveLength(0);
  });

  test("a state file that is a directory is named plainly, before anything is sent (exit 2)", async () => {
    const dir = await teamRepo(tempDir());
    setChannels(dir, SLACK);
    mkdirSync(path.join(dir, ".rota", "notify-state.json"), { recursive: true });
    const now = { ROTA_NOW: "2026-11-24T07:00:00+01:00", SLACK_URL: chat.url("/slack") };
    for (const args of [["today"], ["today", "--dry-run"]]) {
      const run = await rota(["notify", ...args], { cwd: dir, env: now });
      expect(run, args.join(" ")).toMatchObject({
        code: 2,
        stderr:
          "rota: .rota/notify-state.json is a directory, not the state file: it records what rota notify has sent; move the directory away, or pass --state with a file\n",
      });
    }
    expect(chat.received).toHaveLength(0);
    expect(existsSync(path.join(dir, ".rota", "notify-state.json.lock"))).toBe(false);
  });

  test("the guard catches a request to another machine", async () => {
    const dir = await teamRepo(tempDir());
    setChannels(dir, SLACK);
    const run = await notify(dir, ["today"], {
      ROTA_NOW: "2026-11-24T07:00:00+01:00",
      SLACK_URL: "https://hooks.slack.invalid/services/T0/B0/sekrit",
    });
    expect(run.code).toBe(1);
    expect(run.stderr).not.toContain("sekrit");
    // Tried four times (a connection that fails is retried), refused each time.
    expect(refused.splice(0)).toEqual(Array(4).fill("hooks.slack.invalid"));
  });

  test("the built CLI, guarded, posts to Teams and emails a person", async () => {
    const dir = await teamRepo(tempDir());
    setChannels(
      dir,
      [
        "    - { id: teams, type: teams, url_env: TEAMS_URL, events: [remind] }",
        "    - { id: mail, type: email, url_env: SMTP_URL, from: support@example.com, events: [remind] }",
        "",
      ].join("\n"),
    );
    const log = path.join(dir, "net.log");
    const run = await rota(["notify", "remind", "--before", "20h"], {
      cwd: dir,
      env: {
        NODE_OPTIONS: `--import=${GUARD_IMPORT}`,
        ROTA_TEST_NET_LOG: log,
        ROTA_NOW: "2026-11-24T16:00:00+01:00",
        TEAMS_URL: chat.url("/workflows/abc?sig=sekrit"),
        SMTP_URL: smtp.url,
      },
    });
    expect(existsSync(log) ? readFileSync(log, "utf8") : "").toBe("");
    expect(run.code, run.stderr).toBe(0);
    expect(`${run.stdout}${run.stderr}`).not.toContain("sekrit");
    const cards = chat.received.map((r) => r.body as Record<string, unknown>);
    expect(cards).toHaveLength(2);
    expect(cards[0]).toEqual({
      type: "message",
      attachments: [
        {
          contentType: "application/vnd.microsoft.card.adaptive",
          contentUrl: null,
          content: {
            $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
            type: "AdaptiveCard",
            version: "1.4",
            body: [
              {
                type: "TextBlock",
                text: "Reminder: your support shift, EMEA day",
                wrap: true,
                size: "Medium",
                weight: "Bolder",
              },
              {
                type: "TextBlock",
                text: "Barbara Liskov, you are on support in 17 hours: **EMEA day**, Wed 25 Nov, 09:00–17:00 Berlin time\\.",
                wrap: true,
              },
              { type: "TextBlock", text: "With Ken Thompson", wrap: true },
              {
                type: "TextBlock",
                text: "Afterwards, write down what you saw: rota notes",
                wrap: true,
              },
            ],
            msteams: { width: "Full" },
          },
        },
      ],
    });
    expect(smtp.mails.map((m) => m.to)).toEqual([["barbara@example.com"], ["ken@example.com"]]);
    const mail = smtp.mails[0]?.parsed;
    expect(mail?.from?.text).toBe('"Acme" <support@example.com>');
    expect(mail?.subject).toBe("Reminder: EMEA day, Wed 25 Nov, 09:00–17:00 Berlin time");
    expect(mail?.text).toContain("Barbara Liskov, you are on support in 17 hours");
    expect(mail?.html).toContain("<strong>EMEA day</strong>");
  });
});

describe("rota calendar --invites --send", () => {
  test("emails one REQUEST per new shift and one CANCEL per removed one, once", async () => {
    const dir = await replannedTeam();
    setChannels(
      dir,
      "    - { id: mail, type: email, url_env: SMTP_URL, from: support@example.com }\n",
    );
    const now = "2026-11-24T18:00:00+01:00";
    const entry = readSchedule(dir).find((e) => e.id === "2026-12-01/emea");
    const out = entry?.people[1] as string;
    const swap = await rota(["swap", "2026-12-01/emea", out, "jony"], {
      cwd: dir,
      env: { ROTA_NOW: now },
    });
    expect(swap.code, swap.stderr).toBe(0);
    commitAll(dir, "Swap");
    const env = { ROTA_NOW: now, SMTP_URL: smtp.url, ROTA_NOTIFY_RETRY_MS: "5" };
    const run = await runInProcess(["calendar", "--invites", "--send"], { cwd: dir, env });
    expect(run.code, run.stderr).toBe(0);
    const index = JSON.parse(readFileSync(path.join(dir, "invites/index.json"), "utf8")) as {
      invites: { method: string; email: string; occurrence: string; subject: string }[];
    };
    const again = await runInProcess(["calendar", "--invites", "--send"], { cwd: dir, env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain("sent 0 messages");
    expect(smtp.mails).toHaveLength(index.invites.length);
    const { readWithIcalJs } = await import("./helpers/ical.ts");
    const schedule = readSchedule(dir);
    for (const invite of index.invites) {
      const mail = smtp.mails.find(
        (m) => m.to[0] === invite.email && m.parsed.subject === invite.subject,
      );
      expect(mail, JSON.stringify(invite)).toBeDefined();
      const part = /Content-Type: text\/calendar; charset=utf-8; method=(\w+)/i.exec(
        mail?.raw ?? "",
      );
      expect(part?.[1]).toBe(invite.method);
      const calendar = mail?.parsed.attachments.find((a) => a.contentType === "text/calendar");
      const ics = calendar?.content.toString("utf8") ?? "";
      expect(ics).toContain(`METHOD:${invite.method}`);
      const [event] = readWithIcalJs(ics).events;
      const occurrence = schedule.find((e) => e.id === invite.occurrence);
      expect(event?.start).toBe(Date.parse(occurrence?.start ?? "") / 1000);
      expect(event?.end).toBe(Date.parse(occurrence?.end ?? "") / 1000);
    }
    expect(index.invites.map((i) => [i.method, i.occurrence]).sort()).toEqual(
      [
        ["CANCEL", "2026-12-01/emea"],
        ["REQUEST", "2026-12-01/emea"],
        ["REQUEST", "2026-12-01/emea"],
      ].sort(),
    );
    git(dir, "status", "--short");
  });

  test("invites of a change whose run never came go out with the next run's", async () => {
    const dir = await replannedTeam();
    setChannels(
      dir,
      "    - { id: mail, type: email, url_env: SMTP_URL, from: support@example.com }\n",
    );
    const now = "2026-11-24T18:00:00+01:00";
    const env = { ROTA_NOW: now, SMTP_URL: smtp.url, ROTA_NOTIFY_RETRY_MS: "5" };
    const send = () => runInProcess(["calendar", "--invites", "--send"], { cwd: dir, env });
    expect((await send()).code).toBe(0);
    const sentBefore = smtp.mails.length;
    for (const [occurrence, to] of [
      ["2026-12-01/emea", "jony"],
      ["2026-12-02/emea", "guido"],
    ] as const) {
      const out = readSchedule(dir).find((e) => e.id === occurrence)?.people[1] as string;
      const swap = await rota(["swap", occurrence, out, to], { cwd: dir, env: { ROTA_NOW: now } });
      expect(swap.code, swap.stderr).toBe(0);
      commitAll(dir, `Swap ${occurrence}`);
    }
    const run = await send();
    expect(run.code, run.stderr).toBe(0);
    const sent = smtp.mails.slice(sentBefore).map((m) => {
      const method = /method=(\w+)/i.exec(m.raw)?.[1];
      return `${method} ${m.to[0]}`;
    });
    expect(sent.filter((s) => s.startsWith("REQUEST")).length).toBeGreaterThanOrEqual(2);
    expect(sent.filter((s) => s.startsWith("CANCEL"))).toHaveLength(2);
    expect(sent).toContain("REQUEST jony@example.com");
    expect(sent).toContain("REQUEST guido@example.com");
  });
  test("an invite refused on the first run ever goes with the next run's, and no other twice", async () => {
    const picky = await startFakeSmtp({ refuse: ["jony@example.com"] });
    try {
      const dir = await replannedTeam();
      setChannels(
        dir,
        "    - { id: mail, type: email, url_env: SMTP_URL, from: support@example.com }\n",
      );
      const now = "2026-11-24T18:00:00+01:00";
      const send = (url: string) =>
        runInProcess(["calendar", "--invites", "--send"], {
          cwd: dir,
          env: { ROTA_NOW: now, SMTP_URL: url, ROTA_NOTIFY_RETRY_MS: "5" },
        });
      const swapIn = async (occurrence: string, to: string) => {
        const out = readSchedule(dir).find((e) => e.id === occurrence)?.people[1] as string;
        const run = await rota(["swap", occurrence, out, to], { cwd: dir, env: { ROTA_NOW: now } });
        expect(run.code, run.stderr).toBe(0);
        commitAll(dir, `Swap ${occurrence}`);
        return out;
      };
      const first = await swapIn("2026-12-01/emea", "jony");
      const refused = await send(picky.url);
      expect(refused.code).toBe(1);
      const missed = "invite/2026-12-01/emea/jony/request/1";
      expect(refused.stderr).toContain(`rota: not sent mail: ${missed} (to jony): `);
      const second = await swapIn("2026-12-02/emea", "guido");
      const run = await send(smtp.url);
      expect(run.code, run.stderr).toBe(0);
      const sent = (stderr: string) =>
        [...stderr.matchAll(/^sent mail: (\S+) /gm)].map((m) => m[1]);
      expect(sent(refused.stderr)).toContain(`invite/2026-12-01/emea/${first}/cancel/1`);
      expect(sent(run.stderr)).toContain(missed);
      expect(sent(run.stderr)).toContain(`invite/2026-12-02/emea/${second}/cancel/1`);
      expect(sent(run.stderr).filter((key) => sent(refused.stderr).includes(key))).toEqual([]);
      expect(smtp.mails.map((m) => m.to[0])).toContain("jony@example.com");
    } finally {
      await picky.close();
    }
  });
});

describe("email", () => {
  test("an SMTP login that fails is reported without the password, and not retried", async () => {
    const secure = await startFakeSmtp({ user: "rota", password: "right" });
    try {
      const dir = await teamRepo(tempDir());
      setChannels(
        dir,
        "    - { id: mail, type: email, url_env: SMTP_URL, from: support@example.com, events: [remind] }\n",
      );
      const wrong = secure.url.replace("rota:right@", "rota:p%40ss-w0rd-sekrit@");
      const env = { ROTA_NOW: "2026-11-24T16:00:00+01:00" };
      const run = await notify(dir, ["remind", "--before", "20h"], { ...env, SMTP_URL: wrong });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        "rota: not sent mail: remind/20h/2026-11-25/emea/barbara (to barbara): ",
      );
      expect(run.stderr).not.toMatch(/sekrit|p@ss|p%40ss/);
      expect(run.stderr).toContain("Invalid login: 535");
      expect(run.stderr).not.toContain("after 4 tries");
      const right = await notify(dir, ["remind", "--before", "20h"], {
        ...env,
        SMTP_URL: secure.url,
      });
      expect(right.code, right.stderr).toBe(0);
      expect(secure.mails.map((m) => m.to[0])).toEqual(["barbara@example.com", "ken@example.com"]);
    } finally {
      await secure.close();
    }
  });

  test("the server's words keep a word that is also the login's user name; the login itself is taken out", async () => {
    // A user name that is an everyday word, as the answer about a mailbox has it.
    const picky = await startFakeSmtp({
      user: "mailbox",
      password: "p4ss-sekrit",
      refuse: ["managers@example.com"],
    });
    try {
      const dir = await teamRepo(tempDir());
      setChannels(
        dir,
        "    - { id: mail, type: email, url_env: SMTP_URL, from: support@example.com, to: [support@example.com, managers@example.com] }\n",
      );
      const run = await notify(dir, ["today"], {
        ROTA_NOW: "2026-11-24T10:00:00+01:00",
        SMTP_URL: picky.url,
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        "the mail server refused managers@example.com: 550 5.1.1 no such mailbox here",
      );
      expect(run.stderr).not.toMatch(/sekrit|mailbox:/);
      // Where the user name goes with the login, it is taken out with it.
      const { redactSmtp } = await import("../src/io/notify/mail.ts");
      const bare = picky.url.replace(":p4ss-sekrit", "");
      const encoded = Buffer.from("p4ss-sekrit").toString("base64");
      expect(
        redactSmtp(`no such mailbox; mailbox:p4ss-sekrit at ${bare}, ${encoded}`, picky.url),
      ).toBe("no such mailbox; *** at smtp://***, ***");
    } finally {
      await picky.close();
    }
  });

  test("a recipient the server refuses is a failure, and the next run mails only them", async () => {
    const picky = await startFakeSmtp({ refuse: ["managers@example.com"] });
    try {
      const dir = await teamRepo(tempDir());
      setChannels(
        dir,
        "    - { id: mail, type: email, url_env: SMTP_URL, from: support@example.com, to: [support@example.com, managers@example.com] }\n",
      );
      const env = { ROTA_NOW: "2026-11-24T10:00:00+01:00" };
      const run = await notify(dir, ["today"], { ...env, SMTP_URL: picky.url });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        "rota: not sent mail: today/2026-11-24: the mail server refused managers@example.com: 550 5.1.1 no such mailbox here",
      );
      expect(picky.mails.map((m) => m.to)).toEqual([["support@example.com"]]);
      const rerun = await notify(dir, ["today"], { ...env, SMTP_URL: smtp.url });
      expect(rerun.code, rerun.stderr).toBe(0);
      const again = await notify(dir, ["today"], { ...env, SMTP_URL: smtp.url });
      expect(again.code, again.stderr).toBe(0);
      expect(smtp.mails.map((m) => m.to)).toEqual([["managers@example.com"]]);
    } finally {
      await picky.close();
    }
  });
});
