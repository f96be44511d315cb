import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { messageOf } from '../api/client';

/** The page's heading: sets the title and takes the focus on navigation (screen readers hear the new page). */
export function PageTitle({ children, hub }: { children: string; hub?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${children} · ${hub ?? 'Phlix Hub'}`;
    ref.current?.focus();
  }, [children, hub]);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}

/** Run a button's action: busy while it runs, its error shown in words right after the button. */
export function ActionButton({
  onClick,
  children,
  className,
  confirm,
  label,
}: {
  onClick: () => Promise<unknown> | unknown;
  children: ReactNode;
  className?: string;
  confirm?: string;
  label?: string;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  async function run() {
    if (confirm && !window.confirm(confirm)) return;
    setBusy(true);
    setError(null);
    try {
      await onClick();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <span className="action">
      <button
        type="button"
        className={className}
        onClick={run}
        disabled={busy}
        aria-label={label}
        aria-describedby={error ? id : undefined}
      >
        {children}
      </button>
      {error && (
        <span id={id} className="error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}

/** A read-only value with a Copy button (for codes, links and commands). */
export function CopyField({ label, value, multiline }: { label: string; value: string; multiline?: boolean }) {
  const id = useId();
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      const el = document.getElementById(id) as HTMLInputElement | HTMLTextAreaElement | null;
      el?.select();
      document.execCommand?.('copy');
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  }
  return (
    <div className="field copy">
      <label htmlFor={id}>{label}</label>
      <div className="row">
        {multiline ? (
          <textarea id={id} readOnly value={value} rows={3} onFocus={(e) => e.currentTarget.select()} />
        ) : (
          <input id={id} readOnly value={value} onFocus={(e) => e.currentTarget.select()} />
        )}
        <button type="button" onClick={copy}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <span className="sr-only" aria-live="polite">
        {copied ? `${label} copied` : ''}
      </span>
    </div>
  );
}

/** Loads data for a screen; `reload` runs it again after a change. */
export function useLoad<T>(
  load: () => Promise<T>,
  deps: unknown[] = [],
): { data: T | undefined; error: string | null; reload: () => Promise<void> } {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string | null>(null);
  const loadRef = useRef(load);
  loadRef.current = load;
  async function reload() {
    try {
      setData(await loadRef.current());
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }
  useEffect(() => void reload(), deps);
  return { data, error, reload };
}

export function Loading({ error, what }: { error: string | null; what: string }) {
  return error ? (
    <p className="error" role="alert">
      Could not load {what}: {error}
    </p>
  ) : (
    <p aria-live="polite">Loading {what}…</p>
  );
}

export function when(unixOrIso: number | string | null | undefined): string {
  if (unixOrIso === null || unixOrIso === undefined) return 'never';
  const d = typeof unixOrIso === 'number' ? new Date(unixOrIso * 1000) : new Date(unixOrIso);
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function bytes(n: number): string {
  const u = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let i = 0;
  while (n >= 1000 && i < u.length - 1) {
    n /= 1000;
    i++;
  }
  return `${n.toFixed(i ? 1 : 0)} ${u[i]}`;
}
