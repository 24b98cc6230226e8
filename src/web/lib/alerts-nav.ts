/** The events view's last query string, so "back to events" returns to the same filters. */
let lastEventsSearch = '';

export function rememberEventsSearch(search: string): void {
  lastEventsSearch = search;
}

export const eventsHref = () => `/alerts${lastEventsSearch}`;
