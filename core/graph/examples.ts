/** The headline demo journey; it lives with the other templates (`templates/`), kept here for its importers. */
export { adToStoreJourney } from './templates/ad-to-store';
