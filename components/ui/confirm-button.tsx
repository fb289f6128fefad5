"use client";

import { type ReactNode, useRef } from "react";

/** A button that asks first, in a native modal dialog (focus-trapped, Esc closes). */
export function ConfirmButton({
  label,
  title,
  children,
  confirmLabel,
  onConfirm,
  isBusy = false,
  className = "button button--danger",
}: {
  label: string;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  isBusy?: boolean;
  className?: string;
}) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  return (
    <>
      <button
        type="button"
        className={className}
        onClick={() => dialogRef.current?.showModal()}
        disabled={isBusy}
      >
        {label}
      </button>
      <dialog ref={dialogRef} aria-label={title}>
        <h2>{title}</h2>
        {children}
        <form method="dialog" className="form-actions">
          <button
            type="button"
            className="button button--danger"
            onClick={() => {
              dialogRef.current?.close();
              onConfirm();
            }}
          >
            {confirmLabel}
          </button>
          <button type="submit" className="button">
            Cancel
          </button>
        </form>
      </dialog>
    </>
  );
}
