import type { Metadata } from "next";

import { DataStudio } from "@/components/data/data-studio";

type Params = Promise<{ dataset: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { dataset } = await params;
  return { title: `${decodeURIComponent(dataset)} · Data` };
}

/**
 * One dataset open; the name comes from the URL, the dataset itself from the client's list. The
 * grid's view (filters, order, page, columns, `?record=<id>`) is read from the query string by
 * the grid itself (components/data/grid-url.ts).
 */
export default async function DatasetPage({ params }: { params: Params }) {
  const { dataset } = await params;
  return <DataStudio datasetName={decodeURIComponent(dataset)} />;
}
