// Waiting on conditions with failure messages that say what was expected, so a scenario that stops
// at a missing feature says which one.

/**
 * Waits until a locator is visible.
 * @param {import('playwright-core').Locator} locator
 * @param {string} what  the expected thing, in a user's words
 * @param {number} [timeout]
 */
export async function visible(locator, what, timeout = 20_000) {
  try {
    await locator.first().waitFor({ state: 'visible', timeout });
  } catch {
    throw new Error(`${what} did not appear within ${timeout / 1000} s`);
  }
  return locator.first();
}

/**
 * Waits until a locator is gone.
 * @param {import('playwright-core').Locator} locator
 * @param {string} what
 * @param {number} [timeout]
 */
export async function hidden(locator, what, timeout = 20_000) {
  try {
    await locator.first().waitFor({ state: 'hidden', timeout });
  } catch {
    throw new Error(`${what} was still there after ${timeout / 1000} s`);
  }
}

/**
 * Polls a condition evaluated in Node (often reading the page) until it returns a truthy value.
 * @template T
 * @param {() => Promise<T | undefined | null | false>} probe
 * @param {string} what
 * @param {{ timeout?: number, interval?: number }} [options]
 * @returns {Promise<T>}
 */
export async function until(probe, what, { timeout = 20_000, interval = 100 } = {}) {
  const deadline = Date.now() + timeout;
  /** @type {unknown} */
  let lastError;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const detail = lastError instanceof Error ? ` (last error: ${lastError.message.split('\n')[0]})` : '';
      throw new Error(`${what}: not the case within ${timeout / 1000} s${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval)); // poll interval, not a wait for time to pass
  }
}

/** Monaco renders spaces as no-break spaces. */
export function plain(/** @type {string} */ text) {
  return text.replace(/\u00a0/g, ' ');
}
