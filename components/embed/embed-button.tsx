"use client";

import dynamic from "next/dynamic";
import { useRef, useState } from "react";
import type { EmbedTarget } from "./embed-dialog";

// The dialog (its form, zod schemas, snippets) loads on the first click, not with the page.
const EmbedDialogBody = dynamic(() => import("./embed-dialog").then((m) => m.EmbedDialogBody), {
  ssr: false,
  loading: () => <p className="muted">Loading…</p>,
});

/** "Embed" beside a chart or card: opens the grant dialog for exactly that view. */
export function EmbedButton({ target, label = "Embed" }: { target: EmbedTarget; label?: string }) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  // The form mounts on open, so every opening starts fresh and nothing is fetched before.
  const [isOpen, setIsOpen] = useState(false);
  const close = () => {
    dialogRef.current?.close();
    setIsOpen(false);
  };
  return (
    <>
      <button
        type="button"
        className="button button--small"
        data-testid={`embed-${target.kind}`}
        onClick={() => {
          setIsOpen(true);
          dialogRef.current?.showModal();
        }}
      >
        <span aria-hidden="true">⧉ </span>
        {label}
      </button>
      <dialog
        ref={dialogRef}
        className="embed-dialog"
        aria-label={`Embed ${target.kind}`}
        onClose={() => setIsOpen(false)}
      >
        {isOpen ? <EmbedDialogBody target={target} onDone={close} /> : null}
      </dialog>
    </>
  );
}
