import type { ComponentChildren } from 'preact';
import { isInternalHref, navigate } from '../lib/router.ts';

/** An in-app link: only internal routes get an href; clicks navigate without a page load. */
export function Link(props: { href: string; class?: string; title?: string; children: ComponentChildren }) {
  const safe = isInternalHref(props.href) ? props.href : undefined;
  const onClick = (e: MouseEvent) => {
    if (!safe || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(safe);
  };
  return (
    <a href={safe} class={props.class} title={props.title} onClick={onClick}>
      {props.children}
    </a>
  );
}
