"use client";

import { useRef, useState } from "react";
import { EmbedDialogBody, type EmbedTarget } from "./embed-dialog";

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
