import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

export interface PageQuery {
  page?: number;
  per_page?: number;
}

export interface Page<T> {
  items: T[];
  page: number;
  per_page: number;
  total: number;
}

/** One page of an ordered query (page from 1, 50 per page unless asked) and the total count. */
export async function fetchPage<E extends ObjectLiteral, T>(
  qb: SelectQueryBuilder<E>,
  q: PageQuery,
  view: (rows: E[]) => T[] | Promise<T[]>,
): Promise<Page<T>> {
  const page = q.page ?? 1;
  const per = q.per_page ?? 50;
  const [rows, total] = await qb
    .skip((page - 1) * per)
    .take(per)
    .getManyAndCount();
  return { items: await view(rows), page, per_page: per, total };
}
