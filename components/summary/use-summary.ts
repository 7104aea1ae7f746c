"use client";

import { useEffect, useState } from "react";
import type * as Y from "yjs";
import { readSummary, summaryApprovalStatus } from "@/model/summary";

export type SummaryView = ReturnType<typeof readSummary> & { status: ReturnType<typeof summaryApprovalStatus> };

function read(doc: Y.Doc): SummaryView {
  return { ...readSummary(doc), status: summaryApprovalStatus(doc) };
}

/**
 * The summary document's verdict fields and approval status, re-read (at most once a frame) whenever
 * anything in it changes: the text counts too, because editing it voids an approval.
 */
export function useSummary(doc: Y.Doc): SummaryView {
  const [view, setView] = useState<SummaryView>(() => read(doc));
  useEffect(() => {
    let frame = 0;
    const update = () => {
      frame ||= requestAnimationFrame(() => {
        frame = 0;
        setView(read(doc));
      });
    };
    update();
    doc.on("update", update);
    return () => {
      doc.off("update", update);
      cancelAnimationFrame(frame);
    };
  }, [doc]);
  return view;
}
