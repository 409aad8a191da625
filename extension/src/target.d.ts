/** The browser this build is for, set by scripts/build-extension.ts. */
declare const __HAUL_TARGET__: 'chromium' | 'firefox';
