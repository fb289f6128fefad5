"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import type { Role } from "@/lib/auth/roles";
import { errorMessage } from "@/lib/queries/api";
import { fetchUsers, type UserView, updateUser, userKeys } from "@/lib/queries/users";
import { CreateUserForm } from "./create-user-form";
import { UserTable } from "./user-table";

type Patch = { role?: Role; isDisabled?: boolean; password?: string };

function describePatch(user: UserView, patch: Patch): string {
  if (patch.role) return `${user.username} is now ${patch.role}; their open sessions were ended.`;
  if (patch.isDisabled === true) return `${user.username} is disabled and signed out everywhere.`;
  if (patch.isDisabled === false) return `${user.username} can sign in again.`;
  return `Password of ${user.username} was reset; their open sessions were ended.`;
}

/** Container: the users list (live) and every change to it. */
export function UsersManager({
  initialUsers,
  currentUserId,
}: {
  initialUsers: UserView[];
  currentUserId: string;
}) {
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<{ tone: "ok" | "danger"; text: string } | null>(null);
  const [busyIds, setBusyIds] = useState<ReadonlySet<string>>(new Set());

  const users = useQuery({
    queryKey: userKeys.list(),
    queryFn: ({ signal }) => fetchUsers(signal),
    initialData: { items: initialUsers },
  });

  const update = useMutation({
    mutationFn: ({ user, patch }: { user: UserView; patch: Patch }) => updateUser(user.id, patch),
    gcTime: 0,
    onMutate: ({ user }) => setBusyIds((s) => new Set(s).add(user.id)),
    onSuccess: (_data, { user, patch }) => setMessage({ tone: "ok", text: describePatch(user, patch) }),
    onError: (err, { user }) =>
      setMessage({ tone: "danger", text: `${user.username}: ${errorMessage(err)}` }),
    onSettled: async (_d, _e, { user }) => {
      setBusyIds((s) => {
        const n = new Set(s);
        n.delete(user.id);
        return n;
      });
      await queryClient.invalidateQueries({ queryKey: userKeys.all });
    },
  });

  return (
    <>
      <PageHeader title="Users" description="Who may sign in to Outpost, and with which role." />
      <div aria-live="polite">
        {message ? (
          <Notice
            tone={message.tone}
            title={message.text}
            role={message.tone === "danger" ? "alert" : "status"}
          />
        ) : null}
      </div>
      <section className="card" aria-labelledby="create-user-title">
        <h2 id="create-user-title">Create user</h2>
        <CreateUserForm
          onCreated={(username) => setMessage({ tone: "ok", text: `User ${username} created.` })}
        />
      </section>
      <section aria-labelledby="user-list-title" className="stack">
        <h2 id="user-list-title">All users ({users.data.items.length})</h2>
        {users.isError ? (
          <Notice tone="warn" title="Showing the last known list" role="status">
            <p>{errorMessage(users.error)}</p>
          </Notice>
        ) : null}
        <UserTable
          users={users.data.items}
          currentUserId={currentUserId}
          busyIds={busyIds}
          onRoleChange={(user, role) => update.mutate({ user, patch: { role } })}
          onDisabledChange={(user, isDisabled) => update.mutate({ user, patch: { isDisabled } })}
          onPasswordReset={(user, password) => update.mutate({ user, patch: { password } })}
        />
      </section>
    </>
  );
}
