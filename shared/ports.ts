/**
 * Where Haul listens unless told otherwise (browser mode and the desktop app; the next free
 * port when it is taken), so bookmarks and the browser extension find it.
 */
export const DEFAULT_PORT = 7411;

/** Ports tried after the preferred one when it is taken. */
export const PORT_TRIES = 20;
