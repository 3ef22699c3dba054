package storetest

var (
	numberTests    []test
	threadTests    []test
	inboxTests     []test
	optOutTests    []test
	outboxTests    []test
	organizerTests []test
	timeTests      []test
)
