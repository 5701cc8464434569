// A tiny DOM builder: no HTML strings anywhere. Text children become text nodes, attributes go
// through setAttribute, so untrusted text can never turn into markup.
//
//   h('p', { class: 'note', 'data-testid': 'x' }, 'plain text ', h('code', null, value))

/** Builds an element. `attrs` values of null/undefined/false are skipped; `true` sets "". */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (/^on/i.test(name)) throw new Error(`h(): event attributes are not allowed (${name})`);
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

/** Appends children: nodes as is, strings and numbers as text nodes, arrays flattened. */
export function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else if (child instanceof Node) parent.appendChild(child);
    else parent.appendChild(document.createTextNode(String(child)));
  }
  return parent;
}

/** Removes every child of `el`. */
export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}
