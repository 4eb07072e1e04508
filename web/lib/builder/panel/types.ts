/** The node object the panel edits: a journey-definition node (no position), possibly half-filled. */
export type PanelNode = { id: string; type: string; [k: string]: unknown };

/** What every per-kind form receives. `onchange` takes a whole new node; forms never mutate. */
export interface FormProps {
	node: PanelNode;
	errors: import('./field-errors').FieldErrors;
	journeyId: string;
	readonly: boolean;
	onchange: (next: PanelNode) => void;
}

/** One suggestion of a picker: the value typed in, and an optional description beside it. */
export type Suggestion = { value: string; label?: string };

/** What every labelled row takes (`Field` and the `*Field` components built on it): its control's id, label, help, errors. */
export interface FieldProps {
	id: string;
	label: string;
	help?: string;
	errors?: readonly string[];
}
