"use client";

import { useEffect, useState } from "react";
import type * as Y from "yjs";
import { readThreads, threadsMap, type Thread } from "@/model/review";

/** The review document's threads as plain objects, re-read (at most once a frame) whenever it changes. */
export function useReviewThreads(doc: Y.Doc): Thread[] {
  const [threads, setThreads] = useState<Thread[]>(() => readThreads(doc));
  useEffect(() => {
    let frame = 0;
    const update = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        setThreads(readThreads(doc));
      });
    };
    const map = threadsMap(doc);
    update();
    map.observeDeep(update);
    return () => {
      map.unobserveDeep(update);
      cancelAnimationFrame(frame);
    };
  }, [doc]);
  return threads;
}
