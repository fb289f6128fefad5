import { z } from "zod";
import { nameSchema } from "@/lib/validation/text";
import { ROLES } from "./roles";

export const usernameSchema = z
  .string()
  .trim()
  .min(2, "at least 2 characters")
  .max(64, "at most 64 characters")
  .regex(/^[a-zA-Z0-9._@-]+$/, "letters, digits and . _ @ - only");

export const passwordSchema = z.string().min(12, "at least 12 characters").max(256, "at most 256 characters");

export const loginSchema = z.object({
  username: z.string().trim().min(1, "is required").max(64),
  password: z.string().min(1, "is required").max(256),
});

export const userCreateSchema = z.object({
  username: usernameSchema,
  password: passwordSchema,
  role: z.enum(ROLES, { message: `must be one of ${ROLES.join(", ")}` }),
});

export const userUpdateSchema = z
  .object({
    role: z.enum(ROLES).optional(),
    isDisabled: z.boolean().optional(),
    password: passwordSchema.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, "nothing to change");

export const tokenCreateSchema = z.object({
  name: nameSchema(100),
  role: z.enum(ROLES),
  expiresInDays: z.number().int().min(1).max(3650).nullable().default(90),
});

/** A signed-in user changes their own password. */
export const passwordChangeSchema = z.object({
  currentPassword: z.string().min(1, "is required").max(256, "at most 256 characters"),
  newPassword: passwordSchema,
});
export type PasswordChangeInput = z.input<typeof passwordChangeSchema>;
