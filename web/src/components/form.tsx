import { createContext, useContext, useId, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, messageOf } from '../api/client';

/** Which form field an error belongs to: by code, else by the field name the hub's message starts with. */
export function fieldOf(e: unknown, names: string[], codes: Record<string, string>): string | null {
  if (!(e instanceof ApiError)) return null;
  if (codes[e.code]) return codes[e.code];
  if (e.code === 'request.validation_failed') {
    const m = /^([a-z_]+)\b/.exec(e.message);
    if (m && names.includes(m[1])) return m[1];
  }
  return null;
}

interface FormState {
  error: unknown;
  field: string | null;
  busy: boolean;
}
const FormCtx = createContext<FormState>({ error: null, field: null, busy: false });

export type FormValues = Record<string, string>;

interface FormProps {
  /** called with the form's values; throw (an ApiError) to show it */
  onSubmit: (v: FormValues, form: HTMLFormElement) => Promise<void> | void;
  submit: string;
  /** error code → the field it is about (e.g. "user.username_taken" → "username") */
  codes?: Record<string, string>;
  children: ReactNode;
  label?: string;
  className?: string;
}

/** A form whose API errors appear next to the field that caused them (or by the button). */
export function Form({ onSubmit, submit, codes = {}, children, label, className }: FormProps) {
  const [state, setState] = useState<FormState>({ error: null, field: null, busy: false });
  const errId = useId();
  async function handle(ev: FormEvent<HTMLFormElement>) {
    ev.preventDefault();
    const form = ev.currentTarget;
    const values: FormValues = {};
    new FormData(form).forEach((v, k) => (values[k] = typeof v === 'string' ? v : ''));
    setState({ error: null, field: null, busy: true });
    try {
      await onSubmit(values, form);
      setState({ error: null, field: null, busy: false });
    } catch (e) {
      const names = Array.from(form.elements)
        .map((el) => (el as HTMLInputElement).name)
        .filter(Boolean);
      const field = fieldOf(e, names, codes);
      setState({ error: e, field, busy: false });
      const target = field ? (form.elements.namedItem(field) as HTMLElement | null) : null;
      target?.focus();
    }
  }
  const general = state.error && !state.field ? messageOf(state.error) : null;
  return (
    <FormCtx.Provider value={state}>
      <form onSubmit={handle} aria-label={label} className={className} noValidate={false}>
        {children}
        <div className="actions">
          <button type="submit" disabled={state.busy} aria-describedby={general ? errId : undefined}>
            {state.busy ? `${submit}…` : submit}
          </button>
          {general && (
            <p id={errId} className="error" role="alert">
              {general}
            </p>
          )}
        </div>
      </form>
    </FormCtx.Provider>
  );
}

interface FieldProps {
  name: string;
  label: string;
  hint?: string;
  children?: (p: { id: string; name: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }) => ReactNode;
}

/** A labelled control; shows the form's error for this field under it. */
export function Field({ name, label, hint, children }: FieldProps) {
  const { error, field } = useContext(FormCtx);
  const id = useId();
  const mine = field === name && error ? messageOf(error) : null;
  const describedBy = [hint ? `${id}-hint` : '', mine ? `${id}-err` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children?.({ id, name, 'aria-invalid': mine ? true : undefined, 'aria-describedby': describedBy })}
      {hint && <small id={`${id}-hint`}>{hint}</small>}
      {mine && (
        <p id={`${id}-err`} className="error" role="alert">
          {mine}
        </p>
      )}
    </div>
  );
}

type InputProps = Omit<React.InputHTMLAttributes<HTMLInputElement>, 'name' | 'id'> & {
  name: string;
  label: string;
  hint?: string;
};

export function Input({ name, label, hint, ...rest }: InputProps) {
  return (
    <Field name={name} label={label} hint={hint}>
      {(p) => <input {...p} {...rest} />}
    </Field>
  );
}

type SelectProps = Omit<React.SelectHTMLAttributes<HTMLSelectElement>, 'name' | 'id'> & {
  name: string;
  label: string;
  hint?: string;
  options: [string, string][];
};

export function Select({ name, label, hint, options, ...rest }: SelectProps) {
  return (
    <Field name={name} label={label} hint={hint}>
      {(p) => (
        <select {...p} {...rest}>
          {options.map(([v, t]) => (
            <option key={v} value={v}>
              {t}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
