"use client";

import dynamic from "next/dynamic";

import { PageHeader } from "@/components/ui/page-header";

/**
 * Rendered in the browser only: everything on the page is the WebSocket's and sessionStorage's
 * (a reload restores the tail from it), so a server render would only show a different first
 * frame and cost a hydration mismatch.
 */
const LiveConsole = dynamic(() => import("./live-console").then((module) => module.LiveConsole), {
  ssr: false,
  loading: () => <PageHeader title="Live" description="Loading the live stream…" />,
});

export function LivePage() {
  return <LiveConsole />;
}
