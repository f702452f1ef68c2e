import { Fragment, type ReactNode } from "react";

import styles from "./markdown-text.module.css";

// The document's descriptions use a small subset of CommonMark: paragraphs, "- " lists, `code`
// and **bold**. That subset is rendered here as elements (never as HTML), so nothing in a
// description can inject markup.

function inline(text: string): ReactNode[] {
  return text.split(/(`[^`]+`|\*\*[^*]+\*\*)/g).map((part, index) => {
    if (part.startsWith("`") && part.endsWith("`") && part.length > 1) {
      return <code key={index}>{part.slice(1, -1)}</code>;
    }
    if (part.startsWith("**") && part.endsWith("**") && part.length > 3) {
      return <strong key={index}>{part.slice(2, -2)}</strong>;
    }
    return <Fragment key={index}>{part}</Fragment>;
  });
}

type Block = { kind: "paragraph"; text: string } | { kind: "list"; items: string[] };

function blocks(text: string): Block[] {
  const result: Block[] = [];
  for (const chunk of text.split(/\n{2,}/)) {
    const lines = chunk.split("\n");
    if (lines.every((line) => line.startsWith("- "))) {
      const items = lines.map((line) => line.slice(2));
      const last = result.at(-1);
      if (last?.kind === "list") last.items.push(...items);
      else result.push({ kind: "list", items });
    } else {
      result.push({ kind: "paragraph", text: chunk.replaceAll("\n", " ") });
    }
  }
  return result;
}

export function MarkdownText({ text, className }: { text: string; className?: string }) {
  return (
    <div className={className ? `${styles.text} ${className}` : styles.text}>
      {blocks(text).map((block, index) =>
        block.kind === "list" ? (
          <ul key={index}>
            {block.items.map((item, i) => (
              <li key={i}>{inline(item)}</li>
            ))}
          </ul>
        ) : (
          <p key={index}>{inline(block.text)}</p>
        ),
      )}
    </div>
  );
}
