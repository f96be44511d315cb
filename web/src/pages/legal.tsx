import { useAuth } from '../auth';
import { PageTitle } from '../components/ui';

const PAGES = {
  terms: ['Terms of service', 'terms_of_service'],
  privacy: ['Privacy policy', 'privacy_policy'],
  content: ['Content policy', 'content_policy'],
} as const;

/** The hub's own texts (HUB_TERMS_OF_SERVICE, … or set by an admin), shown as plain text. */
export function Legal({ page }: { page: keyof typeof PAGES }) {
  const { hub } = useAuth();
  const [title, key] = PAGES[page];
  const text = hub?.[key];
  return (
    <section className="narrow">
      <PageTitle hub={hub?.name}>{title}</PageTitle>
      {hub === null ? (
        <p>Loading…</p>
      ) : text ? (
        <div className="prose">{text}</div>
      ) : (
        <p>This hub has not published a {title.toLowerCase()}.</p>
      )}
    </section>
  );
}
