/** Set by proxy.ts on every page request (overwriting any client value): the path being rendered. */
export const PATH_HEADER = "x-outpost-path";
