import { useState } from 'preact/hooks';

/** Copies `text` to the clipboard and says so for a moment. */
export function CopyButton(props: { text: string; label?: string }) {
  const [done, setDone] = useState<'' | 'copied' | 'failed'>('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.text);
      setDone('copied');
    } catch {
      setDone('failed');
    }
    setTimeout(() => setDone(''), 1500);
  };
  return (
    <button type="button" class="copy-button" onClick={copy} title={`Copy ${props.text}`}>
      {done === 'copied' ? 'Copied' : done === 'failed' ? 'Copy failed' : (props.label ?? 'Copy')}
    </button>
  );
}
