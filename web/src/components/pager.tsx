/** Previous / next for a paged list (`total` items, `perPage` a page). */
export function Pager({
  page,
  perPage,
  total,
  what,
  onPage,
}: {
  page: number;
  perPage: number;
  total: number;
  what: string;
  onPage: (p: number) => void;
}) {
  const pages = Math.max(1, Math.ceil(total / perPage));
  return (
    <nav aria-label={`Pages of ${what}`} className="pager">
      <button type="button" className="secondary" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous
      </button>
      <span>
        Page {page} of {pages} ({total} {what})
      </span>
      <button type="button" className="secondary" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        Next
      </button>
    </nav>
  );
}
