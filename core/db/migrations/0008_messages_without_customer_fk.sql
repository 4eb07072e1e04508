ALTER TABLE "messages" DROP CONSTRAINT "messages_customer_fk";
