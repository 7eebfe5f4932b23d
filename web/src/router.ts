/**
 * Pages live in the URL's hash (`#/block/12`), so the node's own routes (`/chain`, `/mine`, …)
 * never collide with the dashboard's and a link can be shared or reloaded.
 */
import { useEffect, useState } from 'react';

export type Route = { page: string; arg: string | undefined };

export function parseRoute(hash: string): Route {
  const [page = '', ...rest] = hash.replace(/^#\/?/, '').split('/');
  const arg = rest.length > 0 ? decodeURIComponent(rest.join('/')) : undefined;
  return { page: page || 'mine', arg };
}

export function href(page: string, arg?: string | number): string {
  return arg === undefined ? `#/${page}` : `#/${page}/${encodeURIComponent(String(arg))}`;
}

export function navigate(page: string, arg?: string | number): void {
  window.location.hash = href(page, arg);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
