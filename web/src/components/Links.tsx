/** Links to the explorer's pages; every hash, id and address on a page is one of these. */

import { short } from '../format.ts';
import { href } from '../router.ts';

export function BlockLink({ id, label }: { id: string | number; label?: string }) {
  const text = label ?? (typeof id === 'number' ? `#${id}` : short(id));
  return (
    <a className="mono" href={href('block', id)} title={String(id)}>
      {text}
    </a>
  );
}

export function TxLink({ id, full = false }: { id: string; full?: boolean }) {
  return (
    <a className="mono" href={href('tx', id)} title={id}>
      {full ? id : short(id)}
    </a>
  );
}

export function AddressLink({ address, full = false }: { address: string; full?: boolean }) {
  return (
    <a className="mono" href={href('address', address)} title={address}>
      {full ? address : short(address, 10)}
    </a>
  );
}
