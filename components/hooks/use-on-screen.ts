"use client";

import { useEffect, useRef, useState } from "react";

/**
 * Whether an element is on (or near) the screen, and whether it ever was:
 * panels fetch once they come into view and stop polling while scrolled away.
 */
export function useOnScreen<T extends Element>(
  rootMargin = "200px",
): [React.RefObject<T | null>, { isVisible: boolean; wasSeen: boolean }] {
  const ref = useRef<T>(null);
  const [state, setState] = useState({ isVisible: false, wasSeen: false });
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (typeof IntersectionObserver === "undefined") {
      setState({ isVisible: true, wasSeen: true });
      return;
    }
    const observer = new IntersectionObserver(
      (entries) => {
        const isVisible = entries.some((e) => e.isIntersecting);
        setState((s) =>
          s.isVisible === isVisible && (s.wasSeen || !isVisible)
            ? s
            : { isVisible, wasSeen: s.wasSeen || isVisible },
        );
      },
      { rootMargin },
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, [rootMargin]);
  return [ref, state];
}
