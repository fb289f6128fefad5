import { Badge } from "@/components/ui/badge";
import { formatDate } from "@/components/ui/format";
import { ROLES, type Role } from "@/lib/auth/roles";
import type { UserView } from "@/lib/queries/users";
import { ResetPasswordButton } from "./reset-password-button";

/** Renderer: users with their role and state; actions go back to the container. */
export function UserTable({
  users,
  currentUserId,
  busyIds,
  onRoleChange,
  onDisabledChange,
  onPasswordReset,
}: {
  users: UserView[];
  currentUserId: string;
  busyIds: ReadonlySet<string>;
  onRoleChange: (user: UserView, role: Role) => void;
  onDisabledChange: (user: UserView, isDisabled: boolean) => void;
  onPasswordReset: (user: UserView, password: string) => void;
}) {
  return (
    <div className="table-wrap">
      <table data-testid="user-table">
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">Role</th>
            <th scope="col">State</th>
            <th scope="col">Created</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => {
            const isSelf = u.id === currentUserId;
            const isBusy = busyIds.has(u.id);
            return (
              <tr key={u.id} data-testid={`user-row-${u.username}`}>
                <th scope="row">
                  {u.username} {isSelf ? <span className="muted">(you)</span> : null}
                </th>
                <td>
                  <label className="visually-hidden" htmlFor={`role-${u.id}`}>
                    Role of {u.username}
                  </label>
                  <select
                    id={`role-${u.id}`}
                    value={u.role}
                    disabled={isSelf || isBusy}
                    onChange={(e) => onRoleChange(u, e.target.value as Role)}
                    style={{ maxWidth: "10rem" }}
                  >
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {r}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  {u.isDisabled ? <Badge tone="danger">disabled</Badge> : <Badge tone="ok">active</Badge>}
                </td>
                <td>{formatDate(u.createdAt)}</td>
                <td>
                  <div className="actions">
                    {!isSelf ? (
                      <button
                        type="button"
                        className={
                          u.isDisabled ? "button button--small" : "button button--small button--danger"
                        }
                        onClick={() => onDisabledChange(u, !u.isDisabled)}
                        disabled={isBusy}
                        aria-label={`${u.isDisabled ? "Enable" : "Disable"} ${u.username}`}
                      >
                        {u.isDisabled ? "Enable" : "Disable"}
                      </button>
                    ) : null}
                    <ResetPasswordButton
                      username={u.username}
                      isBusy={isBusy}
                      onReset={(pw) => onPasswordReset(u, pw)}
                    />
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
