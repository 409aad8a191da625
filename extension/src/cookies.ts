/**
 * The `Cookie` header the browser itself would send to `url`, from the cookie store the
 * download belongs to (a private window's, or a Firefox container's). `getAll({ url })`
 * applies the browser's own rules (domain, path, Secure), so only the host's own cookies go.
 */
export async function cookieHeader(url: string, storeId: string | undefined): Promise<string> {
  try {
    const cookies = await chrome.cookies.getAll({ url, ...(storeId === undefined ? {} : { storeId }) });
    return cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  } catch {
    return '';
  }
}
