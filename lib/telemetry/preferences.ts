import "server-only";
import { db } from "@/lib/db/client";

/** The viewer's temperature unit; API tokens and unknown users get °C. */
export async function preferredUnit(userId: string | null | undefined): Promise<"C" | "F"> {
  if (!userId) return "C";
  const user = await db().user.findUnique({ where: { id: userId }, select: { temperatureUnit: true } });
  return user?.temperatureUnit === "F" ? "F" : "C";
}
