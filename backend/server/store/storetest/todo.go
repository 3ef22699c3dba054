package storetest

var (
	inboxTests     []test
	optOutTests    []test
	outboxTests    []test
	organizerTests []test
	timeTests      []test
)
