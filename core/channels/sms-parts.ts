/**
 * How many SMS parts a body costs. GSM-7 fits 160 septets in one part and 153 per part when split (the
 * rest is the concatenation header); characters from the extension table take two septets. One character
 * outside GSM-7 switches the whole message to UCS-2: 70 UTF-16 units, 67 per part. Carriers bill per part.
 */
const GSM_BASIC = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '^{}\\[~]|€\f';

const basic = new Set(GSM_BASIC);
const extension = new Set(GSM_EXTENSION);

export type SmsSegments = { encoding: 'GSM-7' | 'UCS-2'; units: number; segments: number };

export function smsSegments(body: string): SmsSegments {
	let septets = 0;
	for (const ch of body) {
		if (basic.has(ch)) septets += 1;
		else if (extension.has(ch)) septets += 2;
		else {
			const units = body.length; // UTF-16 code units: an emoji counts two
			return { encoding: 'UCS-2', units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
		}
	}
	return { encoding: 'GSM-7', units: septets, segments: septets <= 160 ? 1 : Math.ceil(septets / 153) };
}
