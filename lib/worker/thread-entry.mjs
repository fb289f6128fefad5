// The first module of the web server's worker thread. Plain JavaScript: Node
// loads it before any TypeScript loader exists in the thread. It registers tsx
// for this thread only (the web server's own code is Next's compiled bundle)
// and then loads the TypeScript entry, which runs the worker host.
import { register } from "tsx/esm/api";

register();
await import("./thread-main.ts");
