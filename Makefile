# stance: `make` builds bin/stance; `make demo` scores the sample article;
# `make test` runs every test; `make asan` runs them under AddressSanitizer
# and UBSan; `make model` retrains models/default; `make install PREFIX=...`.

CC       ?= cc
PREFIX   ?= /usr/local
CFLAGS   ?= -O2 -g
WARN     := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Werror
LIBS     := -lsvm -lstemmer -lutf8proc -lm -pthread
PACKAGES := gcc make libc6-dev libsvm-dev libstemmer-dev libutf8proc-dev

LIB_SRC  := alloc error outfile text segment furniture strmap tokens stem lexicon features sentiment gazetteer attribute context quotes gram svmfile model aggregate walk batch dataset \
            metrics train score output
HEADERS  := $(wildcard engine/*.h)

OBJ      := $(LIB_SRC:%=build/obj/%.o)
ASAN_OBJ := $(LIB_SRC:%=build/asan/%.o)
SANITIZE := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

.PHONY: all deps slurm-deps fuzz-deps demo test asan valgrind slurm-test bench model fuzz install clean

all: bin/stance

# Installs missing Debian packages as root, otherwise prints the command.
deps:
	@missing=""; \
	for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "stance: installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$$missing >/dev/null \
	      || { echo "stance: apt-get install failed"; exit 1; }; \
	  else \
	    echo "stance needs Debian packages that are missing. Run:"; \
	    echo "  sudo apt-get install -y$$missing"; \
	    exit 1; \
	  fi; \
	fi

# The fuzzers need clang with libFuzzer (libclang-rt-dev holds it; apt only
# recommends it): installed like the libraries.
fuzz-deps:
	@$(MAKE) -s deps PACKAGES="clang libclang-rt-dev"

# The Slurm test needs a scheduler and munge: installed like the libraries.
SLURM_PACKAGES := slurm-wlm munge
slurm-deps:
	@$(MAKE) -s deps PACKAGES="$(SLURM_PACKAGES)"

build/obj/%.o: engine/%.c $(HEADERS) | deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) -c $< -o $@

build/asan/%.o: engine/%.c $(HEADERS) | deps
	@mkdir -p $(@D)
	$(CC) -O1 -g $(SANITIZE) $(WARN) -c $< -o $@

build/fuzz/%.o: engine/%.c $(HEADERS) | deps fuzz-deps
	@mkdir -p $(@D)
	clang -O1 -g -fsanitize=fuzzer-no-link,address,undefined $(WARN) -c $< -o $@

build/libstance.a: $(OBJ)
	ar rcs $@ $^

build/libstance-asan.a: $(ASAN_OBJ)
	ar rcs $@ $^

bin/stance: engine/main.c build/libstance.a $(HEADERS)
	@mkdir -p bin
	$(CC) $(CFLAGS) $(WARN) engine/main.c build/libstance.a $(LIBS) -o $@

bin/stance-asan: engine/main.c build/libstance-asan.a $(HEADERS)
	@mkdir -p bin
	$(CC) -O1 -g $(SANITIZE) $(WARN) engine/main.c build/libstance-asan.a $(LIBS) -o $@

build/unit_tests: tests/unit_tests.c tests/check.h build/libstance.a $(HEADERS)
	$(CC) $(CFLAGS) $(WARN) -iquote engine tests/unit_tests.c build/libstance.a $(LIBS) -o $@

build/unit_tests-asan: tests/unit_tests.c tests/check.h build/libstance-asan.a $(HEADERS)
	$(CC) -O1 -g $(SANITIZE) $(WARN) -iquote engine tests/unit_tests.c build/libstance-asan.a $(LIBS) -o $@

demo: bin/stance
	./bin/stance score tests/fixtures/sample-article.txt

test: bin/stance build/unit_tests
	./build/unit_tests .
	sh tests/cli.sh ./bin/stance

asan: bin/stance-asan build/unit_tests-asan
	ASAN_OPTIONS=detect_leaks=1 ./build/unit_tests-asan .
	ASAN_OPTIONS=detect_leaks=1 sh tests/cli.sh ./bin/stance-asan

# The end-to-end tests with every call under valgrind (slow: minutes).
valgrind: bin/stance
	RUN="valgrind -q --error-exitcode=99 --leak-check=full" sh tests/cli.sh ./bin/stance

# A one-node Slurm cluster, the job array of scripts/slurm and its merge.
slurm-test: bin/stance slurm-deps
	sh tests/slurm.sh ./bin/stance

bench: bin/stance
	sh scripts/bench.sh ./bin/stance

# libFuzzer harnesses (tests/fuzz/README): each runs FUZZ_SECONDS (60) from
# its committed seed corpus, in a scratch copy so the tree stays clean;
# crashes land in build/fuzz/crashes/.
FUZZ_TARGETS := article model svmfile tsv lexicons merge
FUZZ_SECONDS ?= 60
FUZZ_OBJ := $(LIB_SRC:%=build/fuzz/%.o)
.SECONDARY: $(FUZZ_OBJ)
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_util.h $(FUZZ_OBJ) $(HEADERS)
	clang -O1 -g -fsanitize=fuzzer,address,undefined $(WARN) -iquote engine $< $(FUZZ_OBJ) \
	  $(LIBS) -o $@

fuzz: $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)
	@mkdir -p build/fuzz/crashes
	@for t in $(FUZZ_TARGETS); do \
	  rm -rf build/fuzz/corpus-$$t && mkdir -p build/fuzz/corpus-$$t && \
	  cp tests/fuzz/corpus/$$t/* build/fuzz/corpus-$$t/ && \
	  echo "fuzz $$t: $(FUZZ_SECONDS) s" && \
	  FUZZ_ROOT=$(CURDIR) ASAN_OPTIONS=detect_leaks=1 build/fuzz/fuzz_$$t \
	    -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=20 -rss_limit_mb=4096 \
	    -artifact_prefix=build/fuzz/crashes/$$t- -print_final_stats=1 \
	    build/fuzz/corpus-$$t 2>build/fuzz/$$t.log || \
	    { tail -40 build/fuzz/$$t.log; exit 1; }; \
	  grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' build/fuzz/$$t.log; \
	done

# Retrains the shipped model from the train split; the result is reproducible.
model: bin/stance
	./bin/stance train training/train.tsv -o models/default

install: bin/stance
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/stance/models/default \
	           $(DESTDIR)$(PREFIX)/share/stance/lexicons
	install -m 755 bin/stance $(DESTDIR)$(PREFIX)/bin/stance
	install -m 644 models/default/* $(DESTDIR)$(PREFIX)/share/stance/models/default/
	install -m 644 lexicons/* $(DESTDIR)$(PREFIX)/share/stance/lexicons/

clean:
	rm -rf build bin
