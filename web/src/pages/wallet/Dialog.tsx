/**
 * A modal `<dialog>`: open while mounted, focus moved inside it (to the element marked
 * `data-autofocus`, else the browser's choice), Escape closes it unless it is `busy`.
 */
import { type ReactNode, useEffect, useId, useRef } from 'react';

export function Dialog({
  title,
  onClose,
  busy = false,
  children,
}: {
  title: string;
  onClose: () => void;
  busy?: boolean;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const latestClose = useRef(onClose);
  latestClose.current = onClose;

  useEffect(() => {
    const dialog = ref.current!;
    dialog.showModal();
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => {
      if (dialog.open) dialog.close();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className="wallet-dialog"
      aria-labelledby={titleId}
      onCancel={(e) => {
        // Escape while sending: stay open (the answer is shown here).
        if (busy) e.preventDefault();
      }}
      onClose={() => latestClose.current()}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}
