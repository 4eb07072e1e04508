-- The four stores the till knew when they were a constant in core/stores.ts: every database keeps them, so
-- store ids already written into journeys, offers (store_scope) and store tasks still name a store.
INSERT INTO "stores" ("id", "name", "address", "city", "country", "time_zone", "opening_hours") VALUES
	('paris-01', 'Paris Marais', '12 rue des Francs-Bourgeois', 'Paris', 'FR', 'Europe/Paris', '{"mon":["10:00-19:30"],"tue":["10:00-19:30"],"wed":["10:00-19:30"],"thu":["10:00-19:30"],"fri":["10:00-19:30"],"sat":["10:00-20:00"],"sun":["11:00-19:00"]}'),
	('lyon-01', 'Lyon Presqu’île', '45 rue de la République', 'Lyon', 'FR', 'Europe/Paris', '{"mon":["10:00-19:00"],"tue":["10:00-19:00"],"wed":["10:00-19:00"],"thu":["10:00-19:00"],"fri":["10:00-19:00"],"sat":["10:00-19:30"]}'),
	('bordeaux-01', 'Bordeaux Chartrons', '8 rue Notre-Dame', 'Bordeaux', 'FR', 'Europe/Paris', '{"tue":["10:30-19:00"],"wed":["10:30-19:00"],"thu":["10:30-19:00"],"fri":["10:30-19:00"],"sat":["10:00-19:00"]}'),
	('brussels-01', 'Bruxelles Sablon', 'Rue de Rollebeek 20', 'Brussels', 'BE', 'Europe/Brussels', '{"mon":["10:00-18:30"],"tue":["10:00-18:30"],"wed":["10:00-18:30"],"thu":["10:00-18:30"],"fri":["10:00-18:30"],"sat":["10:00-18:30"],"sun":["11:00-17:00"]}')
ON CONFLICT ("id") DO NOTHING;
