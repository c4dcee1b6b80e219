def log = new File(basedir, 'build.log').text
assert log.contains('modular consumer: tensor([[ 3.,  3.],')
assert log.contains('Tests run: 1, Failures: 0, Errors: 0, Skipped: 0')
// The user's property test with vectorgrad-testkit ran its properties and passed.
assert log =~ /Tests run: 2, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: .* -- in consumer\.SoftmaxPropertyTest/
assert !log.contains('FAILURE')
return true
