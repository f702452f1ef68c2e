import type { Metadata } from "next";

import { DataStudio } from "@/components/data/data-studio";

type Params = Promise<{ dataset: string }>;
type SearchParams = Promise<{ record?: string | string[] }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { dataset } = await params;
  return { title: `${decodeURIComponent(dataset)} · Data` };
}

/**
 * One dataset open; the name comes from the URL, the dataset itself from the client's list.
 * `?record=<id>` opens that record, so other pages (a vector search hit) can link to it.
 */
export default async function DatasetPage({
  params,
  searchParams,
}: {
  params: Params;
  searchParams: SearchParams;
}) {
  const [{ dataset }, { record }] = await Promise.all([params, searchParams]);
  return (
    <DataStudio
      datasetName={decodeURIComponent(dataset)}
      recordId={typeof record === "string" ? record : null}
    />
  );
}
