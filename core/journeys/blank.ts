/** The draft a new journey starts with (the blank template: manual entry, then the end). */
export { blankJourney as blankDefinition } from '../graph/templates/blank';
