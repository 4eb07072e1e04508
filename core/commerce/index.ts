export { BACK_IN_STOCK_EVENT, INTEREST_EVENTS, INTEREST_WINDOW_MS, MAX_CUSTOMERS_PER_RESTOCK, emitBackInStock, type Restock } from './back-in-stock';
export { CommerceError } from './errors';
export { MAX_PRODUCTS_PER_REQUEST, ProductInput, ProductsInput, Sku, getProduct, knownSkus, listProducts, upsertProducts, type Product } from './products';
export {
	MAX_STOCK_CSV_BYTES,
	MAX_STOCK_CSV_ROWS,
	csvRecords,
	importStockCsv,
	parseStockCsv,
	type StockCsvError,
	type StockCsvRow,
	type StockImport
} from './stock-csv';
export {
	MAX_STOCK_LINES,
	StockLine,
	StockLines,
	quantitiesOf,
	setStock,
	setStockForStores,
	stockAt,
	stockKey,
	stockOfSkus,
	type StockLevel,
	type StockUpdate
} from './stock';
export { preferredStoreOf, storeForStep } from './store-scope';
export { getStore, listStores, storeById, type OpeningHours, type Store } from './stores';
