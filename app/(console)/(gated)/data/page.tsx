import type { Metadata } from "next";

import { DataStudio } from "@/components/data/data-studio";

export const metadata: Metadata = { title: "Data" };

export default function DataPage() {
  return <DataStudio datasetName={null} />;
}
