// Two texts side by side, aligned on their longest common subsequence of lines:
// the revision compare view. Pure, no Node built-ins (the browser may run it too).

export interface LineRow {
  kind: "same" | "removed" | "added" | "changed";
  left?: { number: number; text: string };
  right?: { number: number; text: string };
}

const MAX_LCS_CELLS = 4_000_000;

/** Two texts side by side, aligned on their longest common subsequence of lines. */
export function sideBySide(beforeText: string, afterText: string): LineRow[] {
  const a = beforeText === "" ? [] : beforeText.replace(/\n$/, "").split("\n");
  const b = afterText === "" ? [] : afterText.replace(/\n$/, "").split("\n");
  if (a.length * b.length > MAX_LCS_CELLS) {
    // Too large to align: show both sides in full, paired by position.
    return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => ({
      kind: a[i] === b[i] ? "same" : "changed",
      ...(a[i] !== undefined ? { left: { number: i + 1, text: a[i] as string } } : {}),
      ...(b[i] !== undefined ? { right: { number: i + 1, text: b[i] as string } } : {}),
    }));
  }
  const n = a.length;
  const m = b.length;
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    const row = lcs[i] as Uint32Array;
    const next = lcs[i + 1] as Uint32Array;
    for (let j = m - 1; j >= 0; j--) {
      row[j] =
        a[i] === b[j] ? (next[j + 1] as number) + 1 : Math.max(next[j] as number, row[j + 1] as number);
    }
  }
  const rows: LineRow[] = [];
  let i = 0;
  let j = 0;
  const removed: LineRow[] = [];
  const added: LineRow[] = [];
  const flush = () => {
    // Pair removals with additions as "changed" rows, like a side-by-side view shows them.
    const pairs = Math.max(removed.length, added.length);
    for (let k = 0; k < pairs; k++) {
      const l = removed[k]?.left;
      const r = added[k]?.right;
      rows.push({
        kind: l && r ? "changed" : l ? "removed" : "added",
        ...(l ? { left: l } : {}),
        ...(r ? { right: r } : {}),
      });
    }
    removed.length = 0;
    added.length = 0;
  };
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      flush();
      rows.push({
        kind: "same",
        left: { number: i + 1, text: a[i] as string },
        right: { number: j + 1, text: b[j] as string },
      });
      i++;
      j++;
    } else if (j < m && (i >= n || (lcs[i]?.[j + 1] ?? 0) >= (lcs[i + 1]?.[j] ?? 0))) {
      added.push({ kind: "added", right: { number: j + 1, text: b[j] as string } });
      j++;
    } else {
      removed.push({ kind: "removed", left: { number: i + 1, text: a[i] as string } });
      i++;
    }
  }
  flush();
  return rows;
}
