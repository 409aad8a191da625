/** Haul's version, as package.json gives it (a test keeps the two equal). */
export const HAUL_VERSION = '0.1.0';
