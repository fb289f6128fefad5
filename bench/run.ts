// `npm run bench`: speed and memory numbers, printed side by side with the naive
// way where there is one, never asserted. `npm run bench -- --list` lists the
// sections; `npm run bench -- collector fleet` runs some of them.
import os from "node:os";
import { results } from "./kit";
import { SECTIONS } from "./sections";

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes("--list")) {
    for (const s of SECTIONS)
      process.stdout.write(`${s.name.padEnd(16)} ${s.summary}${s.isOptIn ? " (only when named)" : ""}\n`);
    return;
  }
  const unknown = args.filter((a) => !SECTIONS.some((s) => s.name === a));
  if (unknown.length > 0) {
    process.stderr.write(`unknown section(s): ${unknown.join(", ")}; see npm run bench -- --list\n`);
    process.exit(2);
  }
  const chosen =
    args.length === 0 ? SECTIONS.filter((s) => !s.isOptIn) : SECTIONS.filter((s) => args.includes(s.name));
  process.env.OUTPOST_ALLOW_LOOPBACK = "1";
  process.env.OUTPOST_LOG_LEVEL = "error";
  process.stdout.write(
    `Outpost benchmarks on ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}\n`,
  );
  for (const section of chosen) await section.run();
  process.stdout.write("\nSummary\n");
  for (const r of results) process.stdout.write(`| ${r.section} | ${r.metric} | ${r.value} |\n`);
  process.exit(0);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
