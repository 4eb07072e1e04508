import type { Principal } from '$core/auth/accounts';

declare global {
	namespace App {
		interface Locals {
			principal: Principal | null;
		}
	}
}

export {};
