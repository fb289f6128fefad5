// Runs once when the Next.js server starts: migrate, then make sure an admin exists.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { bootstrap } = await import("@/lib/bootstrap");
  await bootstrap();
}
