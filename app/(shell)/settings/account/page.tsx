import type { Metadata } from "next";
import { ChangePasswordForm } from "@/components/settings/change-password-form";
import { PageHeader } from "@/components/ui/page-header";
import { requireActor } from "../../../_lib/auth";

export const metadata: Metadata = { title: "Your account" };

// Every role has an account: no role check beyond being signed in.
export default async function AccountPage() {
  const actor = await requireActor("/settings/account");
  return (
    <div className="page">
      <PageHeader title="Your account" description={`Signed in as ${actor.username} (${actor.role}).`} />
      <section className="card" aria-labelledby="change-password-title">
        <h2 id="change-password-title">Change password</h2>
        <ChangePasswordForm />
      </section>
    </div>
  );
}
