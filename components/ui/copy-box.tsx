"use client";

import { useId, useRef, useState } from "react";

/** A read-only value with a Copy button (for secrets shown once). */
export function CopyBox({ value, label }: { value: string; label: string }) {
  const inputId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [isCopied, setIsCopied] = useState(false);

  async function copy() {
    inputRef.current?.select();
    try {
      await navigator.clipboard.writeText(value);
      setIsCopied(true);
    } catch {
      // Clipboard API needs a secure context; the value is selected for Ctrl+C instead.
      setIsCopied(false);
    }
  }

  return (
    <div>
      <label htmlFor={inputId} className="field-label">
        {label}
      </label>
      <div className="secret-box">
        <input
          id={inputId}
          ref={inputRef}
          type="text"
          readOnly
          value={value}
          spellCheck={false}
          autoComplete="off"
          onFocus={(e) => e.currentTarget.select()}
          data-testid="secret-value"
        />
        <button type="button" className="button" onClick={copy}>
          {isCopied ? "Copied ✔" : "Copy"}
        </button>
      </div>
      <p className="hint" aria-live="polite">
        {isCopied ? "Copied to the clipboard." : ""}
      </p>
    </div>
  );
}
