// The editors' preview toolbar and live reload. Served by `londontories preview` only; never published.
(() => {
  const bar = document.getElementById('lt-preview');
  if (!bar) {
    return;
  }

  const form = bar.querySelector('form');
  const seat = document.getElementById('lt-seat');
  const filter = document.getElementById('lt-seat-filter');
  const language = document.getElementById('lt-language');
  const status = document.getElementById('lt-preview-status');
  const version = Number(bar.dataset.version);

  seat.addEventListener('change', () => form.requestSubmit());
  language.addEventListener('change', () => form.requestSubmit());

  // Seats are many: typing narrows the list to seats or boroughs that contain the text.
  filter.addEventListener('input', () => {
    const text = filter.value.trim().toLowerCase();
    for (const group of seat.querySelectorAll('optgroup')) {
      let shown = 0;
      for (const option of group.querySelectorAll('option')) {
        const match = !text || option.textContent.toLowerCase().includes(text) || group.label.toLowerCase().includes(text);
        option.hidden = !match;
        shown += match ? 1 : 0;
      }
      group.hidden = shown === 0;
    }
  });
  filter.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') {
      return;
    }
    event.preventDefault();
    const first = [...seat.querySelectorAll('optgroup option')].find((option) => !option.hidden && !option.parentElement.hidden);
    if (first) {
      seat.value = first.value;
      form.requestSubmit();
    }
  });

  const escape = (text) => String(text ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

  const showErrors = (errors) => {
    document.getElementById('lt-preview-errors')?.remove();
    if (!errors.length) {
      return;
    }
    const overlay = document.createElement('div');
    overlay.id = 'lt-preview-errors';
    overlay.className = 'lt-preview-errors';
    overlay.setAttribute('role', 'alert');
    const count = `${errors.length} content error${errors.length === 1 ? '' : 's'}`;
    overlay.innerHTML = `<p class="lt-preview-errors-title"><strong>${count}</strong>: the preview shows the last good render until ${errors.length === 1 ? 'it is' : 'they are'} fixed.</p><ol>${
      errors.map((e) => `<li><code>${escape(e.location)}</code>: ${escape(e.message)}${e.hint ? ` <span class="lt-preview-hint">${escape(e.hint)}</span>` : ''}</li>`).join('')
    }</ol><button type="button" class="lt-preview-errors-close">Hide</button>`;
    bar.after(overlay);
  };

  document.addEventListener('click', (event) => {
    if (event.target.closest('.lt-preview-errors-close')) {
      document.getElementById('lt-preview-errors')?.remove();
    }
  });

  const events = new EventSource('/_preview/events');
  events.addEventListener('open', () => { status.textContent = 'Live'; });
  events.addEventListener('error', () => { status.textContent = 'Reconnecting…'; });
  // A change saved while this page loaded is caught up with at once.
  events.addEventListener('hello', (event) => {
    if (JSON.parse(event.data).version !== version) {
      location.reload();
    }
  });
  events.addEventListener('reload', () => {
    status.textContent = 'Reloading…';
    location.reload();
  });
  events.addEventListener('errors', (event) => showErrors(JSON.parse(event.data).errors));
})();
