import { storeToken } from '../internal/api.js';
import { h } from '../internal/dom.js';

/**
 * Asks for the API token in a modal dialog and keeps it in sessionStorage (this tab only; it
 * is sent as `Authorization: Bearer`). Resolves when the user saved one.
 */
export function askToken(reason: string): Promise<void> {
  const existing = document.getElementById('token-dialog') as HTMLDialogElement | null;
  existing?.remove();
  return new Promise((resolve) => {
    const input = h('input', { id: 'token-input', type: 'password', autocomplete: 'current-password', required: true });
    const dialog = h(
      'dialog',
      { id: 'token-dialog', 'aria-labelledby': 'token-h' },
      h(
        'form',
        { method: 'dialog' },
        h('h2', { id: 'token-h' }, 'API token'),
        h('p', {}, reason),
        h('label', { for: 'token-input' }, 'Token (control_plane.api_key)'),
        input,
        h('p', { class: 'muted' }, 'Kept for this tab only (sessionStorage).'),
        h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Save')),
      ),
    );
    dialog.addEventListener('close', () => {
      storeToken(input.value.trim());
      dialog.remove();
      resolve();
    });
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
  });
}
